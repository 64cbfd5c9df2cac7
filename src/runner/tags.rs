//! Tag expressions (`run --tags`), as the Cucumber reference implementation
//! (cucumber/tag-expressions) parses and evaluates them: `not`, `and`, `or` and parentheses,
//! precedence `not` > `and` > `or`, `and`/`or` left-associative, and `\(`, `\)`, `\\` and
//! `\ ` (backslash, blank) escapes inside tag names.
//!
//! Where the reference is lenient or vague this parser is the same or stricter, never looser:
//! an empty or all-blank expression selects every scenario (so `--tags "$VAR"` with an empty
//! variable runs everything, as in every Cucumber); `@esme or@gsme` is one operand too many
//! ("Expected operator"), as in the reference; a trailing lone backslash is an error (the
//! reference drops it silently); an operator missing its operand at the end is "Expected
//! operand" (the reference reports an internal "empty stack"). Messages start with the
//! reference's words and then name the token and its column.

use std::fmt;
use std::str::FromStr;

/// A parsed tag expression. The empty expression selects everything.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TagExpr {
    root: Option<Node>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
enum Node {
    Tag(String),
    Not(Box<Node>),
    And(Box<Node>, Box<Node>),
    Or(Box<Node>, Box<Node>),
}

/// Why an expression does not parse: the reference's syntax error, and where.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("Tag expression \"{expression}\" could not be parsed because of syntax error: {kind}{}", self.detail())]
pub struct TagExprError {
    /// The expression as given.
    pub expression: String,
    pub kind: SyntaxError,
    /// 1-based column (in characters) of the offending token; 0 for the end of the
    /// expression.
    pub column: usize,
    /// The offending token as written; `None` for the end of the expression.
    pub found: Option<String>,
}

/// The reference's syntax errors, in its words.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum SyntaxError {
    #[error("Expected operator.")]
    ExpectedOperator,
    #[error("Expected operand.")]
    ExpectedOperand,
    #[error("Unmatched ).")]
    UnmatchedClose,
    #[error("Unmatched (.")]
    UnmatchedOpen,
    #[error("Illegal escape before \"{0}\".")]
    IllegalEscape(char),
    #[error("Illegal escape at the end of the expression.")]
    TrailingEscape,
    #[error(
        "An invalid tag combination operator was detected. The use of a comma (\",\") to combine tags is not supported. Please replace it with either the \"or\" or \"and\" operators for tag combinations. For example, use \"@tag1 or @tag2\" or \"@tag1 and @tag2\""
    )]
    Comma,
}

impl TagExprError {
    /// Where: the token and its column, after the reference's sentence.
    fn detail(&self) -> String {
        let sep = if self.kind == SyntaxError::Comma {
            ". "
        } else {
            " "
        };
        match (&self.kind, &self.found) {
            (SyntaxError::UnmatchedOpen, _) => {
                format!("{sep}The \"(\" at column {} is not closed.", self.column)
            }
            (SyntaxError::IllegalEscape(_), _) => format!("{sep}At column {}.", self.column),
            (_, Some(tok)) => format!("{sep}Found \"{tok}\" at column {}.", self.column),
            (_, None) => format!("{sep}Found the end of the expression."),
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Operand,
    Not,
    And,
    Or,
    Open,
    Close,
}

#[derive(Debug)]
struct Token {
    kind: Kind,
    /// Unescaped text.
    text: String,
    /// As written, for messages.
    raw: String,
    column: usize,
}

impl Kind {
    /// Binding strength, as the reference's precedence table.
    fn precedence(self) -> i8 {
        match self {
            Kind::Open => -2,
            Kind::Close => -1,
            Kind::Or => 0,
            Kind::And => 1,
            Kind::Not => 2,
            Kind::Operand => i8::MAX,
        }
    }

    fn is_operator(self) -> bool {
        matches!(self, Kind::Not | Kind::And | Kind::Or)
    }
}

impl TagExpr {
    /// Parses an expression; an empty or all-blank one selects everything.
    pub fn parse(expression: &str) -> Result<Self, TagExprError> {
        let err = |kind, column, found: Option<&str>| TagExprError {
            expression: expression.to_string(),
            kind,
            column,
            found: found.map(str::to_string),
        };
        let tokens =
            tokenize(expression).map_err(|(kind, col, raw)| err(kind, col, raw.as_deref()))?;
        if tokens.is_empty() {
            return Ok(TagExpr { root: None });
        }
        // Shunting-yard, as the reference: operators wait on a stack until an operator that
        // binds less tightly (or a closing parenthesis) arrives.
        let mut operators: Vec<&Token> = Vec::new();
        let mut operands: Vec<Node> = Vec::new();
        let mut expect_operand = true;
        for t in &tokens {
            let check = |want_operand: bool| {
                if want_operand == expect_operand {
                    Ok(())
                } else if expect_operand {
                    Err(err(SyntaxError::ExpectedOperand, t.column, Some(&t.raw)))
                } else {
                    Err(err(SyntaxError::ExpectedOperator, t.column, Some(&t.raw)))
                }
            };
            match t.kind {
                Kind::Not | Kind::Open => {
                    check(true)?;
                    operators.push(t);
                }
                Kind::And | Kind::Or => {
                    check(false)?;
                    // Both binary operators are left-associative.
                    while let Some(top) = operators.last() {
                        if !(top.kind.is_operator() && t.kind.precedence() <= top.kind.precedence())
                        {
                            break;
                        }
                        apply(top.kind, &mut operands);
                        operators.pop();
                    }
                    operators.push(t);
                    expect_operand = true;
                }
                Kind::Close => {
                    check(false)?;
                    loop {
                        match operators.pop() {
                            None => {
                                return Err(err(SyntaxError::UnmatchedClose, t.column, Some(")")))
                            }
                            Some(top) if top.kind == Kind::Open => break,
                            Some(top) => apply(top.kind, &mut operands),
                        }
                    }
                    expect_operand = false;
                }
                Kind::Operand => {
                    check(true)?;
                    operands.push(Node::Tag(t.text.clone()));
                    expect_operand = false;
                }
            }
        }
        if expect_operand {
            return Err(err(SyntaxError::ExpectedOperand, 0, None));
        }
        while let Some(top) = operators.pop() {
            if top.kind == Kind::Open {
                return Err(err(SyntaxError::UnmatchedOpen, top.column, Some("(")));
            }
            apply(top.kind, &mut operands);
        }
        // Operand/operator alternation was checked token by token, so exactly one tree is
        // left; anything else would be a bug here, reported rather than panicking.
        match (operands.pop(), operands.is_empty()) {
            (Some(root), true) => Ok(TagExpr { root: Some(root) }),
            _ => Err(err(SyntaxError::ExpectedOperator, 0, None)),
        }
    }

    /// Whether a set of tag names satisfies the expression. Names are compared exactly,
    /// as written (`@esme` matches `@esme`, not `esme`).
    pub fn eval<S: AsRef<str>>(&self, variables: &[S]) -> bool {
        self.root
            .as_ref()
            .is_none_or(|n| n.eval(&|name| variables.iter().any(|v| v.as_ref() == name)))
    }

    /// Whether a scenario with these Gherkin tags is selected. Gherkin parsers hand tags
    /// over with or without the leading `@`; in the expression they carry it, as written
    /// in the feature file.
    pub fn selects<S: AsRef<str>>(&self, tags: &[S]) -> bool {
        self.root.as_ref().is_none_or(|n| {
            n.eval(&|name| {
                name.strip_prefix('@').is_some_and(|bare| {
                    tags.iter()
                        .any(|t| t.as_ref().strip_prefix('@').unwrap_or(t.as_ref()) == bare)
                })
            })
        })
    }

    /// Whether the expression selects everything (it was empty or blank).
    pub fn is_empty(&self) -> bool {
        self.root.is_none()
    }
}

impl FromStr for TagExpr {
    type Err = TagExprError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        TagExpr::parse(s)
    }
}

/// The reference's canonical form: every binary operation parenthesised, `not ( x )`.
impl fmt::Display for TagExpr {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.root {
            None => f.write_str("true"),
            Some(n) => write!(f, "{n}"),
        }
    }
}

impl fmt::Display for Node {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Node::Tag(t) => {
                for c in t.chars() {
                    if matches!(c, '\\' | '(' | ')') || c.is_whitespace() {
                        f.write_str("\\")?;
                    }
                    write!(f, "{c}")?;
                }
                Ok(())
            }
            Node::And(a, b) => write!(f, "( {a} and {b} )"),
            Node::Or(a, b) => write!(f, "( {a} or {b} )"),
            // A binary operand already has its parentheses.
            Node::Not(e) if matches!(**e, Node::And(..) | Node::Or(..)) => write!(f, "not {e}"),
            Node::Not(e) => write!(f, "not ( {e} )"),
        }
    }
}

impl Node {
    fn eval(&self, has: &dyn Fn(&str) -> bool) -> bool {
        match self {
            Node::Tag(t) => has(t),
            Node::Not(e) => !e.eval(has),
            Node::And(a, b) => a.eval(has) && b.eval(has),
            Node::Or(a, b) => a.eval(has) || b.eval(has),
        }
    }
}

/// Pops an operator's operands and pushes its node. Alternation is checked before any
/// operator is applied, so the operands are there.
fn apply(kind: Kind, operands: &mut Vec<Node>) {
    let node = match kind {
        Kind::Not => match operands.pop() {
            Some(e) => Node::Not(Box::new(e)),
            None => return,
        },
        Kind::And | Kind::Or => match (operands.pop(), operands.pop()) {
            (Some(b), Some(a)) if kind == Kind::And => Node::And(Box::new(a), Box::new(b)),
            (Some(b), Some(a)) => Node::Or(Box::new(a), Box::new(b)),
            (b, a) => {
                operands.extend(a.into_iter().chain(b));
                return;
            }
        },
        _ => return,
    };
    operands.push(node);
}

/// Splits on blanks and unescaped parentheses, as the reference's tokenizer.
fn tokenize(expr: &str) -> Result<Vec<Token>, (SyntaxError, usize, Option<String>)> {
    let mut tokens = Vec::new();
    let mut text = String::new();
    let mut raw = String::new();
    let mut start = 0;
    let mut escaped = false;
    let finish = |text: &mut String, raw: &mut String, start: usize, tokens: &mut Vec<Token>| {
        if raw.is_empty() {
            return Ok(());
        }
        if text.contains(',') {
            return Err((SyntaxError::Comma, start, Some(raw.clone())));
        }
        let kind = match (text.as_str(), raw.as_str()) {
            ("and", "and") => Kind::And,
            ("or", "or") => Kind::Or,
            ("not", "not") => Kind::Not,
            _ => Kind::Operand,
        };
        tokens.push(Token {
            kind,
            text: std::mem::take(text),
            raw: std::mem::take(raw),
            column: start,
        });
        Ok(())
    };
    for (i, c) in expr.chars().enumerate() {
        let column = i + 1;
        if escaped {
            if matches!(c, '(' | ')' | '\\') || c.is_whitespace() {
                text.push(c);
                raw.push(c);
                escaped = false;
            } else {
                return Err((SyntaxError::IllegalEscape(c), column - 1, None));
            }
        } else if c == '\\' {
            if raw.is_empty() {
                start = column;
            }
            raw.push(c);
            escaped = true;
        } else if c == '(' || c == ')' || c.is_whitespace() {
            finish(&mut text, &mut raw, start, &mut tokens)?;
            if !c.is_whitespace() {
                tokens.push(Token {
                    kind: if c == '(' { Kind::Open } else { Kind::Close },
                    text: c.to_string(),
                    raw: c.to_string(),
                    column,
                });
            }
        } else {
            if raw.is_empty() {
                start = column;
            }
            text.push(c);
            raw.push(c);
        }
    }
    if escaped {
        return Err((SyntaxError::TrailingEscape, expr.chars().count(), None));
    }
    finish(&mut text, &mut raw, start, &mut tokens)?;
    Ok(tokens)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn precedence_and_associativity() {
        let e = TagExpr::parse("@a or @b and not @c").unwrap();
        assert_eq!(e.to_string(), "( @a or ( @b and not ( @c ) ) )");
        let e = TagExpr::parse("@a and @b and @c").unwrap();
        assert_eq!(e.to_string(), "( ( @a and @b ) and @c )");
        let e = TagExpr::parse("not not @a").unwrap();
        assert_eq!(e.to_string(), "not ( not ( @a ) )");
        assert!(!e.eval(&["@b"]) && e.eval(&["@a"]));
    }

    #[test]
    fn gherkin_tags_match_with_or_without_at() {
        let e = TagExpr::parse("@esme and not @security").unwrap();
        assert!(e.selects(&["esme", "ECS17b"]));
        assert!(e.selects(&["@esme"]));
        assert!(!e.selects(&["esme", "security"]));
        // An expression operand without `@` never matches a Gherkin tag, as in the reference.
        assert!(!TagExpr::parse("esme").unwrap().selects(&["esme"]));
    }
}
