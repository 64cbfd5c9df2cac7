//! A readable, indented rendering of a decoded message's JSON form.

use serde_json::Value;
use std::fmt::Write;

pub fn render(value: &Value) -> String {
    let mut out = String::new();
    write_value(&mut out, value, 0);
    out
}

fn scalar(v: &Value) -> Option<String> {
    match v {
        Value::Null => Some("-".into()),
        Value::Bool(b) => Some(b.to_string()),
        Value::Number(n) => Some(n.to_string()),
        Value::String(s) => Some(s.clone()),
        Value::Array(a) if a.is_empty() => Some("[]".into()),
        Value::Object(o) if o.is_empty() => Some("{}".into()),
        _ => None,
    }
}

fn write_value(out: &mut String, v: &Value, indent: usize) {
    let pad = "  ".repeat(indent);
    match v {
        Value::Object(map) => {
            for (k, child) in map {
                match scalar(child) {
                    Some(s) => {
                        let _ = writeln!(out, "{pad}{k}: {s}");
                    }
                    None => {
                        let _ = writeln!(out, "{pad}{k}:");
                        write_value(out, child, indent + 1);
                    }
                }
            }
        }
        Value::Array(items) => {
            for (i, child) in items.iter().enumerate() {
                match scalar(child) {
                    Some(s) => {
                        let _ = writeln!(out, "{pad}- {s}");
                    }
                    None => {
                        let _ = writeln!(out, "{pad}- [{i}]");
                        write_value(out, child, indent + 1);
                    }
                }
            }
        }
        other => {
            let _ = writeln!(out, "{pad}{}", scalar(other).unwrap_or_default());
        }
    }
}
