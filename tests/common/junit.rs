//! The common JUnit schema and the validity check every report test uses.

use std::fs;
use std::path::Path;
use std::process::Command;

use gbcs_harness::report::junit::parse_report;

/// The essential structure of the Jenkins/Maven "JUnit.xsd" (the schema of the Jenkins xUnit
/// plugin and Ant's JUnit output), written from its published structure: testsuites >
/// testsuite > (properties?, testcase*, system-out?, system-err?); testcase > (skipped?,
/// error*, failure*, system-out*, system-err*); `name` required on suites, cases and
/// properties, `tests` required on suites, `value` required on properties.
///
/// Deliberate extensions (docs/junit.md): `<properties>` first inside `<testcase>`, the
/// testcase's `file` and `line`, and `skipped` on `<testsuites>`. The strict
/// Jenkins XSD has no testcase properties, but the Jenkins JUnit plugin, GitLab and most
/// current consumers read them, and the harness needs them for use case, service request,
/// device and tags. Counts and times are typed (integers, decimals) where the original uses
/// plain strings, so the check is stricter than the original on those.
pub const JUNIT_XSD: &str = r#"<?xml version="1.0" encoding="UTF-8"?>
<xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema" elementFormDefault="qualified">
  <xs:element name="failure">
    <xs:complexType mixed="true">
      <xs:attribute name="type" type="xs:string"/>
      <xs:attribute name="message" type="xs:string"/>
    </xs:complexType>
  </xs:element>
  <xs:element name="error">
    <xs:complexType mixed="true">
      <xs:attribute name="type" type="xs:string"/>
      <xs:attribute name="message" type="xs:string"/>
    </xs:complexType>
  </xs:element>
  <xs:element name="skipped">
    <xs:complexType mixed="true">
      <xs:attribute name="message" type="xs:string"/>
    </xs:complexType>
  </xs:element>
  <xs:element name="properties">
    <xs:complexType>
      <xs:sequence>
        <xs:element ref="property" minOccurs="1" maxOccurs="unbounded"/>
      </xs:sequence>
    </xs:complexType>
  </xs:element>
  <xs:element name="property">
    <xs:complexType>
      <xs:attribute name="name" type="xs:string" use="required"/>
      <xs:attribute name="value" type="xs:string" use="required"/>
    </xs:complexType>
  </xs:element>
  <xs:element name="system-out" type="xs:string"/>
  <xs:element name="system-err" type="xs:string"/>
  <xs:element name="testcase">
    <xs:complexType>
      <xs:sequence>
        <xs:element ref="properties" minOccurs="0" maxOccurs="1"/>
        <xs:element ref="skipped" minOccurs="0" maxOccurs="1"/>
        <xs:element ref="error" minOccurs="0" maxOccurs="unbounded"/>
        <xs:element ref="failure" minOccurs="0" maxOccurs="unbounded"/>
        <xs:element ref="system-out" minOccurs="0" maxOccurs="unbounded"/>
        <xs:element ref="system-err" minOccurs="0" maxOccurs="unbounded"/>
      </xs:sequence>
      <xs:attribute name="name" type="xs:string" use="required"/>
      <xs:attribute name="assertions" type="xs:string"/>
      <xs:attribute name="time" type="xs:decimal"/>
      <xs:attribute name="classname" type="xs:string"/>
      <xs:attribute name="status" type="xs:string"/>
      <xs:attribute name="file" type="xs:string"/>
      <xs:attribute name="line" type="xs:positiveInteger"/>
    </xs:complexType>
  </xs:element>
  <xs:element name="testsuite">
    <xs:complexType>
      <xs:sequence>
        <xs:element ref="properties" minOccurs="0" maxOccurs="1"/>
        <xs:element ref="testcase" minOccurs="0" maxOccurs="unbounded"/>
        <xs:element ref="system-out" minOccurs="0" maxOccurs="1"/>
        <xs:element ref="system-err" minOccurs="0" maxOccurs="1"/>
      </xs:sequence>
      <xs:attribute name="name" type="xs:string" use="required"/>
      <xs:attribute name="tests" type="xs:nonNegativeInteger" use="required"/>
      <xs:attribute name="failures" type="xs:nonNegativeInteger"/>
      <xs:attribute name="errors" type="xs:nonNegativeInteger"/>
      <xs:attribute name="skipped" type="xs:nonNegativeInteger"/>
      <xs:attribute name="disabled" type="xs:nonNegativeInteger"/>
      <xs:attribute name="time" type="xs:decimal"/>
      <xs:attribute name="timestamp" type="xs:string"/>
      <xs:attribute name="hostname" type="xs:string"/>
      <xs:attribute name="id" type="xs:string"/>
      <xs:attribute name="package" type="xs:string"/>
    </xs:complexType>
  </xs:element>
  <xs:element name="testsuites">
    <xs:complexType>
      <xs:sequence>
        <xs:element ref="testsuite" minOccurs="0" maxOccurs="unbounded"/>
      </xs:sequence>
      <xs:attribute name="name" type="xs:string"/>
      <xs:attribute name="time" type="xs:decimal"/>
      <xs:attribute name="tests" type="xs:nonNegativeInteger"/>
      <xs:attribute name="failures" type="xs:nonNegativeInteger"/>
      <xs:attribute name="disabled" type="xs:nonNegativeInteger"/>
      <xs:attribute name="errors" type="xs:nonNegativeInteger"/>
      <xs:attribute name="skipped" type="xs:nonNegativeInteger"/>
    </xs:complexType>
  </xs:element>
</xs:schema>
"#;

pub fn xmllint_available() -> bool {
    Command::new("xmllint")
        .arg("--version")
        .output()
        .map(|o| o.status.success())
        .unwrap_or(false)
}

/// Checks well-formedness with our parser (quick-xml) always, and validity against the XSD
/// when xmllint is installed (Debian: libxml2-utils).
pub fn check_valid(path: &Path) {
    let doc = fs::read_to_string(path).unwrap();
    if let Err(e) = parse_report(&doc) {
        panic!("{} is not well-formed: {e}\n{doc}", path.display());
    }
    if !xmllint_available() {
        eprintln!(
            "xmllint not found: XSD check skipped (install libxml2-utils); well-formedness checked"
        );
        return;
    }
    let xsd = path.with_file_name("JUnit.xsd");
    fs::write(&xsd, JUNIT_XSD).unwrap();
    let out = Command::new("xmllint")
        .arg("--noout")
        .arg("--schema")
        .arg(&xsd)
        .arg(path)
        .output()
        .unwrap();
    fs::remove_file(&xsd).unwrap();
    assert!(
        out.status.success(),
        "{} fails the JUnit XSD:\n{}\n{doc}",
        path.display(),
        String::from_utf8_lossy(&out.stderr)
    );
}
