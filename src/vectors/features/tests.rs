use super::*;

use cucumber::gherkin::{Feature, GherkinEnv, StepType};

/// The project's own vectors and features (the generator's real input and output).
fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn generated() -> Vec<FeatureFile> {
    generate(&VectorStore::new(repo().join("vectors"))).expect("the project's vectors generate")
}

/// A scratch folder of its own per test (no tempfile crate in the tree).
fn scratch(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("gbcs-features-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("temp dir");
    dir
}

#[test]
fn variant_names_read_as_words() {
    assert_eq!(
        case_words("ECS17b_4.1.1_SINGLE_SUCCESS", "ECS17b"),
        "single success"
    );
    assert_eq!(case_words("CS02bACBByACB_8.5", "CS02bACBByACB"), "nominal");
    assert_eq!(
        case_words("CS02aSignature_NA_ESME_SUCCESS", "CS02aSignature"),
        "esme success"
    );
}

#[test]
fn smets1_service_numbers_take_their_variants_only() {
    assert!(under("6.2", "6.2"));
    assert!(under("6.2.10", "6.2"));
    assert!(!under("6.20.1", "6.2"));
    assert!(!under("1.10", "1.1"));
}

#[test]
fn ecs17b_feature() {
    let files = generated();
    let f = files
        .iter()
        .find(|f| f.path == Path::new("electricity/ECS17b.feature"))
        .expect("ECS17b is recorded");
    insta::assert_snapshot!(f.text);
}

#[test]
fn smets1_4_1_feature() {
    let files = generated();
    let f = files
        .iter()
        .find(|f| {
            f.path == Path::new("smets1/SR4.1-read-instantaneous-import-register-values.feature")
        })
        .expect("SMETS1 4.1 is recorded");
    insta::assert_snapshot!(f.text);
}

/// Every generated file is valid Gherkin for the runner's parser, and every scenario (each
/// expanded row of an outline too) has a Then.
#[test]
fn every_generated_feature_parses_and_every_scenario_has_a_then() {
    let files = generated();
    assert!(files.len() > 150, "{} features", files.len());
    for f in &files {
        assert!(f.text.starts_with(GENERATED_MARK), "{}", f.path.display());
        let feature = Feature::parse(&f.text, GherkinEnv::default())
            .unwrap_or_else(|e| panic!("{}: {e}", f.path.display()));
        assert!(
            !feature.scenarios.is_empty(),
            "{}: no scenario",
            f.path.display()
        );
        for s in &feature.scenarios {
            assert!(
                s.steps.iter().any(|st| st.ty == StepType::Then),
                "{}: scenario {:?} has no Then",
                f.path.display(),
                s.name
            );
            for ex in &s.examples {
                let rows = ex.table.as_ref().map_or(0, |t| t.rows.len());
                assert!(
                    rows >= 2,
                    "{}: empty Examples in {:?}",
                    f.path.display(),
                    s.name
                );
            }
        }
    }
}

/// features/ is what the vectors generate: `gbcs-harness import` rewrites both.
#[test]
fn committed_features_are_up_to_date() {
    let dir = repo().join("features");
    let files = generated();
    for f in &files {
        let on_disk = std::fs::read_to_string(dir.join(&f.path)).unwrap_or_default();
        assert!(
            on_disk == f.text,
            "features/{} is out of date with vectors/: regenerate it",
            f.path.display()
        );
    }
    let wanted: BTreeSet<PathBuf> = files.iter().map(|f| dir.join(&f.path)).collect();
    for path in generated_under(&dir) {
        assert!(
            wanted.contains(&path),
            "{} is generated but no vector calls for it",
            path.display()
        );
    }
}

#[test]
fn smets1_services_without_recordings_are_listed_not_scenarios() {
    let store = VectorStore::new(repo().join("vectors"));
    let missing = not_covered(&store);
    let services: Vec<&str> = missing.iter().map(|n| n.service.as_str()).collect();
    for s in ["6.6", "6.23", "7.2", "11.1"] {
        assert!(
            services.contains(&s),
            "{s} should not be covered: {missing:?}"
        );
    }
    for s in ["1.1", "1.2", "4.1", "4.4", "4.8", "6.2", "6.15"] {
        assert!(!services.contains(&s), "{s} is recorded: {missing:?}");
    }
    let files = generated();
    for n in &missing {
        let name = format!("smets1/SR{}-{}.feature", n.service, slug(&n.title));
        assert!(
            !files.iter().any(|f| f.path == Path::new(&name)),
            "{name} generated"
        );
    }
}

#[test]
fn an_unreadable_store_covers_nothing() {
    let missing = not_covered(&VectorStore::new("/nonexistent/vectors"));
    assert_eq!(missing.len(), catalogue::smets1_minimum_services().len());
    assert!(missing[0].reason.contains("cannot be read"));
}

fn file(path: &str, body: &str) -> FeatureFile {
    FeatureFile {
        path: PathBuf::from(path),
        text: format!("{GENERATED_MARK}\n{body}"),
    }
}

#[test]
fn write_replaces_its_own_files_and_leaves_hand_written_ones() {
    let dir = scratch("write").join("features");
    std::fs::create_dir_all(dir.join("security")).unwrap();
    std::fs::create_dir_all(dir.join("gas")).unwrap();
    std::fs::write(dir.join("security/protection.feature"), "Feature: mine\n").unwrap();
    std::fs::write(
        dir.join("gas/OLD.feature"),
        format!("{GENERATED_MARK}\nold\n"),
    )
    .unwrap();

    let files = vec![
        file("electricity/A.feature", "a\n"),
        file("gas/B.feature", "b\n"),
    ];
    write(&files, &dir).expect("writes");
    assert_eq!(
        std::fs::read_to_string(dir.join("electricity/A.feature")).unwrap(),
        files[0].text
    );
    assert!(dir.join("gas/B.feature").is_file());
    assert!(
        !dir.join("gas/OLD.feature").exists(),
        "stale generated file kept"
    );
    assert_eq!(
        std::fs::read_to_string(dir.join("security/protection.feature")).unwrap(),
        "Feature: mine\n"
    );
    // No staging folder is left beside it.
    let beside: Vec<_> = std::fs::read_dir(dir.parent().unwrap())
        .unwrap()
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(beside, vec!["features".to_string()]);
}

#[test]
fn write_refuses_to_overwrite_a_hand_written_feature_and_changes_nothing() {
    let dir = scratch("refuse").join("features");
    std::fs::create_dir_all(dir.join("gas")).unwrap();
    std::fs::write(dir.join("gas/B.feature"), "Feature: mine\n").unwrap();
    let files = vec![
        file("electricity/A.feature", "a\n"),
        file("gas/B.feature", "b\n"),
    ];
    let err = write(&files, &dir).unwrap_err();
    assert!(matches!(err, FeatureError::HandWritten { .. }), "{err}");
    assert!(!dir.join("electricity/A.feature").exists());
    assert_eq!(
        std::fs::read_to_string(dir.join("gas/B.feature")).unwrap(),
        "Feature: mine\n"
    );
}

#[test]
fn write_refuses_paths_outside_the_folder() {
    let dir = scratch("unsafe").join("features");
    for bad in ["../x.feature", "/tmp/x.feature", "a/b.txt"] {
        let err = write(&[file(bad, "x\n")], &dir).unwrap_err();
        assert!(
            matches!(err, FeatureError::UnsafePath { .. }),
            "{bad}: {err}"
        );
    }
}
