//! `gbcs-harness import RTDS_DIR`: golden vectors (and the features that use them) from a
//! folder of recordings laid out like the RTDS.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::Args;

use gbcs_harness::codec::EntityId;
use gbcs_harness::crypto::KeyStore;
use gbcs_harness::sim::profile::DefaultProfile;
use gbcs_harness::vectors::{self, features, import, Vector, VectorStore};

use super::output;

#[derive(Args)]
pub struct ImportArgs {
    /// The recordings: `<SR>_<UseCase>/` folders of `*_COMMAND_GBCS.HEX` and
    /// `*_RESPONSE_GBCS.HEX` files, e.g. ../shared/rtds/RTDS-4.5.0.
    dir: PathBuf,
    /// The key store the recordings were protected with (default: DIR/../keystore).
    #[arg(long)]
    keys: Option<PathBuf>,
    /// The recordings' access control broker (default: the RTDS's, 90B3D51F30000002).
    #[arg(long, default_value = "90B3D51F30000002")]
    acb: EntityId,
    /// Where the vectors go; its use-case folders are replaced.
    #[arg(long, default_value = vectors::DEFAULT_DIR)]
    vectors: PathBuf,
    /// Where the generated features go (hand-written features there are left alone).
    #[arg(long, default_value = "features")]
    features: PathBuf,
}

pub fn run(args: ImportArgs) -> ExitCode {
    if !args.dir.is_dir() {
        eprintln!("error: {}: not a folder of recordings", args.dir.display());
        return ExitCode::from(2);
    }
    let keys_dir = args
        .keys
        .clone()
        .unwrap_or_else(|| args.dir.join("..").join("keystore"));
    let keys = match KeyStore::load_dir(&keys_dir) {
        Ok(k) => k,
        Err(e) => {
            eprintln!(
                "error: cannot read the recordings' key store {}: {e}",
                keys_dir.display()
            );
            return ExitCode::from(2);
        }
    };
    let lab = match DefaultProfile::generate() {
        Ok(p) => p,
        Err(e) => {
            eprintln!("error: cannot build the lab's test PKI: {e}");
            return ExitCode::from(2);
        }
    };
    let imported = import::import(&args.dir, &keys, Some(args.acb), &lab);
    if imported.vectors.is_empty() && imported.problems.is_empty() {
        eprintln!(
            "error: {}: no *_COMMAND_GBCS.HEX recordings found",
            args.dir.display()
        );
        return ExitCode::from(1);
    }
    if !imported.problems.is_empty() {
        for p in &imported.problems {
            eprintln!("not imported: {p}");
        }
        eprintln!(
            "error: {} recording(s) could not be imported; nothing was written",
            imported.problems.len()
        );
        return ExitCode::from(1);
    }
    let staging = match stage_vectors(&args.vectors, &imported.vectors) {
        Ok(s) => s,
        Err(e) => {
            eprintln!("error: cannot write {}: {e}", args.vectors.display());
            return ExitCode::from(2);
        }
    };
    // The features are made from the staged vectors, so a failure leaves both folders as
    // they were.
    let generated = features::generate(&VectorStore::new(&staging));
    let files = match generated {
        Ok(f) => f,
        Err(e) => {
            let _ = std::fs::remove_dir_all(&staging);
            eprintln!("error: cannot generate the features: {e}");
            return ExitCode::from(1);
        }
    };
    if let Err(e) = swap_in(&staging, &args.vectors) {
        eprintln!("error: cannot write {}: {e}", args.vectors.display());
        return ExitCode::from(2);
    }
    if let Err(e) = features::write(&files, &args.features) {
        eprintln!("error: cannot write {}: {e}", args.features.display());
        return ExitCode::from(2);
    }
    let not_covered = features::not_covered(&VectorStore::new(&args.vectors));
    output::with_stdout(|out| {
        out.line(format_args!(
            "{} vectors imported from {} into {}; {} features written into {}; {} SMETS1 services have no recording",
            imported.vectors.len(),
            args.dir.display(),
            args.vectors.display(),
            files.len(),
            args.features.display(),
            not_covered.len()
        ))?;
        Ok(ExitCode::SUCCESS)
    })
}

/// Writes the vectors into a fresh folder beside `dir` and returns it.
fn stage_vectors(dir: &Path, vectors: &[Vector]) -> std::io::Result<PathBuf> {
    let staging = dir.with_extension(format!("import-{}", std::process::id()));
    if staging.exists() {
        std::fs::remove_dir_all(&staging)?;
    }
    std::fs::create_dir_all(&staging)?;
    for v in vectors {
        if let Err(e) = v.save(&staging) {
            let _ = std::fs::remove_dir_all(&staging);
            return Err(e);
        }
    }
    Ok(staging)
}

/// Replaces the use-case folders of `dir` with the staged ones. Other files of `dir` (its
/// README) stay.
fn swap_in(staging: &Path, dir: &Path) -> std::io::Result<()> {
    std::fs::create_dir_all(dir)?;
    for entry in std::fs::read_dir(dir)?.flatten() {
        if entry.file_type()?.is_dir() {
            std::fs::remove_dir_all(entry.path())?;
        }
    }
    for entry in std::fs::read_dir(staging)?.flatten() {
        std::fs::rename(entry.path(), dir.join(entry.file_name()))?;
    }
    std::fs::remove_dir_all(staging)
}
