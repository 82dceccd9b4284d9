//! A small expression language over a table's columns, for filters and computed columns:
//!
//! ```text
//! amount > 1e5 and type in ("TRANSFER", "CASH_OUT")
//! newbalanceOrig - oldbalanceOrg
//! date >= "2005-01-01" and not symbol == "IBM"
//! contains(nameDest, "M") or matches(nameOrig, "^C12")
//! ```
//!
//! Grammar, loosest first: `or`, `and`, `not`, comparisons (`==` `=` `!=` `<` `<=` `>` `>=`,
//! `in (...)`, `not in (...)`), `+ -`, `* / %`, unary `-`, then values: numbers, "text" or
//! 'text', `true`/`false`/`null`, column names (bare, or in backticks when they hold spaces),
//! parentheses and the functions `contains(text, "part")`, `matches(text, "regex")`,
//! `is_null(x)`, `abs(x)`, `year(date)`, `month(date)`. A date or time column compared with
//! text reads the text as a date ("2005-01-01"). Arithmetic is in floating point. Errors give
//! the character position in the expression.
//!
//! Evaluation uses polars' eager kernels on whole columns (a filter over 6.36M rows is a few
//! vectorised passes), so no lazy engine is built for it.

use polars::prelude::*;

/// An error with the character position (0-based) in the expression it is about.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ExprError {
    pub position: usize,
    pub message: String,
}

impl std::fmt::Display for ExprError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "at character {}: {}", self.position + 1, self.message)
    }
}

impl std::error::Error for ExprError {}

fn err<T>(position: usize, message: impl Into<String>) -> Result<T, ExprError> {
    Err(ExprError {
        position,
        message: message.into(),
    })
}

#[derive(Clone, Debug, PartialEq)]
enum Tok {
    Num(f64),
    Str(String),
    Ident(String),
    /// A name in backticks: always a column.
    Quoted(String),
    Op(&'static str),
}

fn lex(text: &str) -> Result<Vec<(Tok, usize)>, ExprError> {
    let chars: Vec<char> = text.chars().collect();
    let mut out = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        let start = i;
        if c.is_whitespace() {
            i += 1;
            continue;
        }
        if c.is_ascii_digit() || (c == '.' && chars.get(i + 1).is_some_and(char::is_ascii_digit)) {
            while i < chars.len()
                && (chars[i].is_ascii_alphanumeric()
                    || chars[i] == '.'
                    || chars[i] == '_'
                    || ((chars[i] == '-' || chars[i] == '+') && matches!(chars[i - 1], 'e' | 'E')))
            {
                i += 1;
            }
            let word: String = chars[start..i].iter().filter(|&&c| c != '_').collect();
            match word.parse::<f64>() {
                Ok(v) => out.push((Tok::Num(v), start)),
                Err(_) => return err(start, format!("'{word}' is not a number")),
            }
            continue;
        }
        if c == '"' || c == '\'' || c == '`' {
            i += 1;
            let mut s = String::new();
            loop {
                match chars.get(i) {
                    None => {
                        return err(start, format!("this {c} is never closed"));
                    }
                    Some('\\') if c != '`' && chars.get(i + 1).is_some() => {
                        s.push(chars[i + 1]);
                        i += 2;
                    }
                    Some(&d) if d == c => {
                        i += 1;
                        break;
                    }
                    Some(&d) => {
                        s.push(d);
                        i += 1;
                    }
                }
            }
            out.push((
                if c == '`' {
                    Tok::Quoted(s)
                } else {
                    Tok::Str(s)
                },
                start,
            ));
            continue;
        }
        if c.is_alphabetic() || c == '_' {
            while i < chars.len() && (chars[i].is_alphanumeric() || chars[i] == '_') {
                i += 1;
            }
            out.push((Tok::Ident(chars[start..i].iter().collect()), start));
            continue;
        }
        let two: String = chars[i..(i + 2).min(chars.len())].iter().collect();
        let op = ["==", "!=", "<=", ">=", "&&", "||"]
            .into_iter()
            .find(|o| *o == two);
        if let Some(op) = op {
            out.push((Tok::Op(op), start));
            i += 2;
            continue;
        }
        let one = ["=", "<", ">", "+", "-", "*", "/", "%", "(", ")", ",", "!"]
            .into_iter()
            .find(|o| o.starts_with(c));
        match one {
            Some(op) => {
                out.push((Tok::Op(op), start));
                i += 1;
            }
            None => return err(start, format!("'{c}' is not understood here")),
        }
    }
    Ok(out)
}

/// A parsed expression.
#[derive(Clone, Debug, PartialEq)]
pub enum Expr {
    Num(f64),
    Str(String),
    Bool(bool),
    Null,
    Column(String, usize),
    Neg(Box<Expr>),
    Not(Box<Expr>),
    /// An arithmetic, comparison or logical operator with its position.
    Binary(&'static str, Box<Expr>, Box<Expr>, usize),
    /// `x in (a, b)`; negated for `not in`.
    In(Box<Expr>, Vec<Expr>, bool, usize),
    Call(String, Vec<Expr>, usize),
}

struct Parser {
    toks: Vec<(Tok, usize)>,
    at: usize,
    end: usize,
    /// How deep the tree being built is at this point: brackets, `not`, unary minus and
    /// function arguments nest, and each operator of a chain (`a or b or c`) adds a level.
    depth: usize,
}

/// The deepest expression tree the parser builds. Evaluating (and dropping) a tree recurses once
/// per level, so 10,000 nested brackets or `or`s would overflow a job thread's stack: they are
/// refused with this limit instead, far beyond what anyone types.
pub const MAX_DEPTH: usize = 100;

const FUNCTIONS: [(&str, usize); 6] = [
    ("contains", 2),
    ("matches", 2),
    ("is_null", 1),
    ("abs", 1),
    ("year", 1),
    ("month", 1),
];

impl Parser {
    fn peek(&self) -> Option<&Tok> {
        self.toks.get(self.at).map(|t| &t.0)
    }

    fn pos(&self) -> usize {
        self.toks.get(self.at).map_or(self.end, |t| t.1)
    }

    fn word(&self, w: &str) -> bool {
        matches!(self.peek(), Some(Tok::Ident(i)) if i.eq_ignore_ascii_case(w))
    }

    fn op(&self, o: &str) -> bool {
        matches!(self.peek(), Some(Tok::Op(p)) if *p == o)
    }

    fn expect(&mut self, o: &str) -> Result<(), ExprError> {
        if self.op(o) {
            self.at += 1;
            Ok(())
        } else {
            err(self.pos(), format!("expected '{o}'"))
        }
    }

    /// One level deeper, or the error that the expression nests too deep.
    fn deeper(&mut self) -> Result<(), ExprError> {
        if self.depth >= MAX_DEPTH {
            return err(
                self.pos(),
                format!("the expression nests deeper than {MAX_DEPTH} levels; simplify it"),
            );
        }
        self.depth += 1;
        Ok(())
    }

    /// `f` one level deeper.
    fn nested(
        &mut self,
        f: impl FnOnce(&mut Self) -> Result<Expr, ExprError>,
    ) -> Result<Expr, ExprError> {
        self.deeper()?;
        let e = f(self)?;
        self.depth -= 1;
        Ok(e)
    }

    fn or(&mut self) -> Result<Expr, ExprError> {
        let base = self.depth;
        let mut left = self.and()?;
        while self.word("or") || self.op("||") {
            let at = self.pos();
            self.at += 1;
            self.deeper()?;
            left = Expr::Binary("or", Box::new(left), Box::new(self.and()?), at);
        }
        self.depth = base;
        Ok(left)
    }

    fn and(&mut self) -> Result<Expr, ExprError> {
        let base = self.depth;
        let mut left = self.not()?;
        while self.word("and") || self.op("&&") {
            let at = self.pos();
            self.at += 1;
            self.deeper()?;
            left = Expr::Binary("and", Box::new(left), Box::new(self.not()?), at);
        }
        self.depth = base;
        Ok(left)
    }

    fn not(&mut self) -> Result<Expr, ExprError> {
        if self.word("not") || self.op("!") {
            self.at += 1;
            return Ok(Expr::Not(Box::new(self.nested(Self::not)?)));
        }
        self.comparison()
    }

    fn comparison(&mut self) -> Result<Expr, ExprError> {
        let left = self.sum()?;
        let at = self.pos();
        let negated = self.word("not")
            && matches!(self.toks.get(self.at + 1), Some((Tok::Ident(w), _)) if w.eq_ignore_ascii_case("in"));
        if negated || self.word("in") {
            self.at += if negated { 2 } else { 1 };
            self.expect("(")?;
            let mut items = vec![self.sum()?];
            while self.op(",") {
                self.at += 1;
                items.push(self.sum()?);
            }
            self.expect(")")?;
            return Ok(Expr::In(Box::new(left), items, negated, at));
        }
        let op = match self.peek() {
            Some(Tok::Op(o)) if matches!(*o, "==" | "=" | "!=" | "<" | "<=" | ">" | ">=") => *o,
            _ => return Ok(left),
        };
        self.at += 1;
        let op = if op == "=" { "==" } else { op };
        Ok(Expr::Binary(op, Box::new(left), Box::new(self.sum()?), at))
    }

    fn sum(&mut self) -> Result<Expr, ExprError> {
        let base = self.depth;
        let mut left = self.product()?;
        while self.op("+") || self.op("-") {
            let (op, at) = (if self.op("+") { "+" } else { "-" }, self.pos());
            self.at += 1;
            self.deeper()?;
            left = Expr::Binary(op, Box::new(left), Box::new(self.product()?), at);
        }
        self.depth = base;
        Ok(left)
    }

    fn product(&mut self) -> Result<Expr, ExprError> {
        let base = self.depth;
        let mut left = self.unary()?;
        while self.op("*") || self.op("/") || self.op("%") {
            let at = self.pos();
            let op = match self.peek() {
                Some(Tok::Op(o)) => *o,
                _ => unreachable!("checked above"),
            };
            self.at += 1;
            self.deeper()?;
            left = Expr::Binary(op, Box::new(left), Box::new(self.unary()?), at);
        }
        self.depth = base;
        Ok(left)
    }

    fn unary(&mut self) -> Result<Expr, ExprError> {
        if self.op("-") {
            self.at += 1;
            return Ok(Expr::Neg(Box::new(self.nested(Self::unary)?)));
        }
        self.atom()
    }

    fn atom(&mut self) -> Result<Expr, ExprError> {
        let at = self.pos();
        let Some(tok) = self.peek().cloned() else {
            return err(at, "expected a value, a column or '(' here");
        };
        self.at += 1;
        match tok {
            Tok::Num(v) => Ok(Expr::Num(v)),
            Tok::Str(s) => Ok(Expr::Str(s)),
            Tok::Quoted(name) => Ok(Expr::Column(name, at)),
            Tok::Op("(") => {
                let e = self.nested(Self::or)?;
                self.expect(")")?;
                Ok(e)
            }
            Tok::Op(o) => err(
                at,
                format!("expected a value, a column or '(' before '{o}'"),
            ),
            Tok::Ident(w) => {
                let lower = w.to_ascii_lowercase();
                if self.op("(") {
                    let Some(&(name, arity)) = FUNCTIONS.iter().find(|(f, _)| *f == lower) else {
                        let known: Vec<&str> = FUNCTIONS.iter().map(|f| f.0).collect();
                        return err(
                            at,
                            format!("no function '{w}' (there are {})", known.join(", ")),
                        );
                    };
                    self.at += 1;
                    let mut args = Vec::new();
                    if !self.op(")") {
                        args.push(self.nested(Self::or)?);
                        while self.op(",") {
                            self.at += 1;
                            args.push(self.nested(Self::or)?);
                        }
                    }
                    self.expect(")")?;
                    if args.len() != arity {
                        return err(
                            at,
                            format!(
                                "{name}() takes {arity} argument{}",
                                if arity == 1 { "" } else { "s" }
                            ),
                        );
                    }
                    return Ok(Expr::Call(name.to_owned(), args, at));
                }
                match lower.as_str() {
                    "true" => Ok(Expr::Bool(true)),
                    "false" => Ok(Expr::Bool(false)),
                    "null" => Ok(Expr::Null),
                    "and" | "or" | "not" | "in" => {
                        err(at, format!("expected a value or a column before '{w}'"))
                    }
                    _ => Ok(Expr::Column(w, at)),
                }
            }
        }
    }
}

/// Parse `text`; the error gives the position of the first thing that does not fit.
pub fn parse(text: &str) -> Result<Expr, ExprError> {
    let toks = lex(text)?;
    let mut p = Parser {
        toks,
        at: 0,
        end: text.chars().count(),
        depth: 0,
    };
    if p.toks.is_empty() {
        return err(0, "the expression is empty");
    }
    let e = p.or()?;
    if p.at < p.toks.len() {
        return err(
            p.pos(),
            "expected an operator (and, or, ==, +, ...) or the end here",
        );
    }
    Ok(e)
}

/// A value while evaluating: a whole column, or one value for every row.
#[derive(Clone)]
enum Val {
    Col(Series),
    Num(f64),
    Str(String),
    Bool(bool),
    Null,
}

fn series_of(v: &Val, len: usize) -> Series {
    match v {
        Val::Col(s) => s.clone(),
        Val::Num(x) => Series::new("lit".into(), [*x]),
        Val::Str(t) => Series::new("lit".into(), [t.as_str()]),
        Val::Bool(b) => Series::new("lit".into(), [*b]),
        Val::Null => Series::full_null("lit".into(), len.min(1), &DataType::Float64),
    }
}

fn is_temporal(d: &DataType) -> bool {
    matches!(d, DataType::Date | DataType::Datetime(..))
}

/// A text value compared with a date or time column, as that column's physical value.
fn text_as_time(text: &str, dtype: &DataType, at: usize) -> Result<Series, ExprError> {
    let Some(ms) = crate::data::schema::parse_timestamp(text) else {
        return err(
            at,
            format!("'{text}' is not a date (write it as 2005-01-31)"),
        );
    };
    let s = Series::new("lit".into(), [ms]);
    let cast = match dtype {
        DataType::Date => {
            Series::new("lit".into(), [ms.div_euclid(86_400_000) as i32]).cast(&DataType::Date)
        }
        DataType::Datetime(unit, tz) => {
            let per = match unit {
                TimeUnit::Milliseconds => 1,
                TimeUnit::Microseconds => 1_000,
                TimeUnit::Nanoseconds => 1_000_000,
            };
            Series::new("lit".into(), [ms * per]).cast(&DataType::Datetime(*unit, tz.clone()))
        }
        _ => Ok(s),
    };
    cast.or_else(|e| err(at, e.to_string()))
}

fn numeric(s: &Series, at: usize, what: &str) -> Result<Series, ExprError> {
    if s.dtype() == &DataType::Float64 {
        return Ok(s.clone());
    }
    if s.dtype().is_primitive_numeric() || s.dtype().is_bool() || s.dtype() == &DataType::Null {
        s.cast(&DataType::Float64)
            .or_else(|e| err(at, e.to_string()))
    } else {
        err(
            at,
            format!("{what} needs numbers; '{}' is {}", s.name(), s.dtype()),
        )
    }
}

fn mask(v: Val, len: usize, at: usize) -> Result<BooleanChunked, ExprError> {
    match v {
        Val::Bool(b) => Ok(BooleanChunked::full("mask".into(), b, len)),
        Val::Null => Ok(BooleanChunked::full("mask".into(), false, len)),
        Val::Col(s) if s.dtype().is_bool() => Ok(s.bool().expect("checked bool").clone()),
        Val::Col(s) => err(
            at,
            format!(
                "'{}' is {}, not true or false: compare it (e.g. {} > 0)",
                s.name(),
                s.dtype(),
                s.name()
            ),
        ),
        Val::Num(_) | Val::Str(_) => err(
            at,
            "a single value is not a condition: compare it with a column",
        ),
    }
}

struct Eval<'a> {
    df: &'a DataFrame,
    len: usize,
}

impl Eval<'_> {
    fn column(&self, name: &str, at: usize) -> Result<Val, ExprError> {
        if let Ok(c) = self.df.column(name) {
            return Ok(Val::Col(c.as_materialized_series().clone()));
        }
        let names = self.df.get_column_names();
        let close = names
            .iter()
            .find(|n| n.eq_ignore_ascii_case(name))
            .map(|n| format!(" (did you mean '{n}'?)"))
            .unwrap_or_default();
        err(at, format!("no column '{name}'{close}"))
    }

    fn eval(&self, e: &Expr) -> Result<Val, ExprError> {
        Ok(match e {
            Expr::Num(v) => Val::Num(*v),
            Expr::Str(s) => Val::Str(s.clone()),
            Expr::Bool(b) => Val::Bool(*b),
            Expr::Null => Val::Null,
            Expr::Column(name, at) => self.column(name, *at)?,
            Expr::Neg(inner) => match self.eval(inner)? {
                Val::Num(v) => Val::Num(-v),
                Val::Col(s) => {
                    let s = numeric(&s, 0, "'-'")?;
                    Val::Col((&s * -1.0).with_name(s.name().clone()))
                }
                _ => return err(0, "'-' needs a number"),
            },
            Expr::Not(inner) => {
                let m = mask(self.eval(inner)?, self.len, 0)?;
                Val::Col((!&m).into_series())
            }
            Expr::Binary(op, a, b, at) => self.binary(op, a, b, *at)?,
            Expr::In(x, items, negated, at) => {
                let mut any = BooleanChunked::full("in".into(), false, self.len);
                for item in items {
                    let eq = self.compare("==", &self.eval(x)?, &self.eval(item)?, *at)?;
                    any = &any | &eq;
                }
                Val::Col(if *negated { !&any } else { any }.into_series())
            }
            Expr::Call(name, args, at) => self.call(name, args, *at)?,
        })
    }

    fn compare(&self, op: &str, a: &Val, b: &Val, at: usize) -> Result<BooleanChunked, ExprError> {
        let (mut sa, mut sb) = (series_of(a, self.len), series_of(b, self.len));
        // A date column against text: the text as a date.
        if is_temporal(sa.dtype()) && matches!(b, Val::Str(_)) {
            sb = text_as_time(
                match b {
                    Val::Str(t) => t,
                    _ => unreachable!(),
                },
                sa.dtype(),
                at,
            )?;
        } else if is_temporal(sb.dtype()) && matches!(a, Val::Str(_)) {
            sa = text_as_time(
                match a {
                    Val::Str(t) => t,
                    _ => unreachable!(),
                },
                sb.dtype(),
                at,
            )?;
        }
        // Categories compare as their text.
        for s in [&mut sa, &mut sb] {
            if matches!(s.dtype(), DataType::Categorical(..) | DataType::Enum(..)) {
                *s = s
                    .cast(&DataType::String)
                    .or_else(|e| err(at, e.to_string()))?;
            }
        }
        let text = |s: &Series| s.dtype() == &DataType::String;
        if text(&sa) != text(&sb) && sa.dtype() != &DataType::Null && sb.dtype() != &DataType::Null
        {
            let (t, n) = if text(&sa) { (&sa, &sb) } else { (&sb, &sa) };
            return err(
                at,
                format!(
                    "cannot compare text ('{}') with {} ('{}'); put numbers without quotes",
                    t.name(),
                    n.dtype(),
                    n.name()
                ),
            );
        }
        let number = |s: &Series| s.dtype().is_primitive_numeric();
        if (is_temporal(sa.dtype()) && number(&sb)) || (is_temporal(sb.dtype()) && number(&sa)) {
            let (d, n) = if is_temporal(sa.dtype()) {
                (&sa, &sb)
            } else {
                (&sb, &sa)
            };
            return err(
                at,
                format!(
                    "cannot compare a date ('{}') with a number ('{}'); write the date in \
                     quotes, e.g. \"2021-06-01\"",
                    d.name(),
                    n.name()
                ),
            );
        }
        // Numbers compare as IEEE floats: NaN (0/0, x % 0, a NaN in the file) is neither
        // equal to, below nor above anything, and differs from everything (polars orders NaN
        // above every number and equal to itself, so `value > 0` kept NaN rows).
        let mut nan = None;
        if number(&sa) && number(&sb) {
            sa = numeric(&sa, at, op)?;
            sb = numeric(&sb, at, op)?;
            let is_nan = |s: &Series| -> Result<BooleanChunked, ExprError> {
                let m = s.is_nan().or_else(|e| err(at, e.to_string()))?;
                let m = m
                    .fill_null_with_values(false)
                    .or_else(|e| err(at, e.to_string()))?;
                Ok(if m.len() == 1 && self.len != 1 {
                    BooleanChunked::full("nan".into(), m.get(0).unwrap_or(false), self.len)
                } else {
                    m
                })
            };
            nan = Some(&is_nan(&sa)? | &is_nan(&sb)?);
        }
        let r = match op {
            "==" => sa.equal(&sb),
            "!=" => sa.not_equal(&sb),
            "<" => sa.lt(&sb),
            "<=" => sa.lt_eq(&sb),
            ">" => sa.gt(&sb),
            ">=" => sa.gt_eq(&sb),
            _ => unreachable!("comparison operators only"),
        };
        let r = r.or_else(|e| err(at, e.to_string()))?;
        // One value against one value gives one answer: the same for every row.
        let r = if r.len() == 1 && self.len != 1 {
            BooleanChunked::full("cmp".into(), r.get(0).unwrap_or(false), self.len)
        } else {
            r
        };
        Ok(match nan {
            Some(nan) if op == "!=" => &r | &nan,
            Some(nan) => &r & &!&nan,
            None => r,
        })
    }

    fn binary(&self, op: &str, a: &Expr, b: &Expr, at: usize) -> Result<Val, ExprError> {
        let (va, vb) = (self.eval(a)?, self.eval(b)?);
        match op {
            "and" | "or" => {
                let (ma, mb) = (mask(va, self.len, at)?, mask(vb, self.len, at)?);
                let m = if op == "and" { &ma & &mb } else { &ma | &mb };
                Ok(Val::Col(m.into_series()))
            }
            "==" | "!=" | "<" | "<=" | ">" | ">=" => {
                Ok(Val::Col(self.compare(op, &va, &vb, at)?.into_series()))
            }
            _ => {
                if let (Val::Num(x), Val::Num(y)) = (&va, &vb) {
                    return Ok(Val::Num(match op {
                        "+" => x + y,
                        "-" => x - y,
                        "*" => x * y,
                        "/" => x / y,
                        _ => x % y,
                    }));
                }
                let what = format!("'{op}'");
                let sa = numeric(&series_of(&va, self.len), at, &what)?;
                let sb = numeric(&series_of(&vb, self.len), at, &what)?;
                let r = match op {
                    "+" => &sa + &sb,
                    "-" => &sa - &sb,
                    "*" => &sa * &sb,
                    "/" => &sa / &sb,
                    _ => &sa % &sb,
                };
                Ok(Val::Col(r.or_else(|e| err(at, e.to_string()))?))
            }
        }
    }

    fn call(&self, name: &str, args: &[Expr], at: usize) -> Result<Val, ExprError> {
        let first = series_of(&self.eval(&args[0])?, self.len);
        let text_arg = |k: usize| match self.eval(&args[k]) {
            Ok(Val::Str(t)) => Ok(t),
            _ => err(at, format!("{name}()'s second argument is text in quotes")),
        };
        let strings = |s: &Series| -> Result<StringChunked, ExprError> {
            s.cast(&DataType::String)
                .and_then(|s| s.str().cloned())
                .or_else(|e| err(at, e.to_string()))
        };
        let out: Series = match name {
            "contains" => {
                let part = text_arg(1)?;
                let s = strings(&first)?;
                s.iter()
                    .map(|v| v.map(|v| v.contains(part.as_str())))
                    .collect::<BooleanChunked>()
                    .into_series()
            }
            "matches" => {
                let pattern = text_arg(1)?;
                let re = regex::Regex::new(&pattern).or_else(|e| {
                    err(
                        at,
                        format!("matches(): {}", e.to_string().lines().last().unwrap_or("")),
                    )
                })?;
                let s = strings(&first)?;
                s.iter()
                    .map(|v| v.map(|v| re.is_match(v)))
                    .collect::<BooleanChunked>()
                    .into_series()
            }
            "is_null" => first.is_null().into_series(),
            "abs" => {
                let f = numeric(&first, at, "abs()")?;
                f.f64()
                    .expect("cast to f64")
                    .apply_values(f64::abs)
                    .into_series()
            }
            "year" | "month" => {
                if !is_temporal(first.dtype()) {
                    return err(
                        at,
                        format!(
                            "{name}() needs a date; '{}' is {}",
                            first.name(),
                            first.dtype()
                        ),
                    );
                }
                let ms = crate::data::schema::timestamps_ms(
                    "",
                    &DataFrame::new_infer_height(vec![first.clone().into_column()])
                        .or_else(|e| err(at, e.to_string()))?,
                    first.name(),
                )
                .or_else(|e| err(at, e.to_string()))?;
                ms.iter()
                    .map(|v| {
                        v.and_then(chrono::DateTime::from_timestamp_millis)
                            .map(|d| {
                                f64::from(if name == "year" {
                                    chrono::Datelike::year(&d)
                                } else {
                                    chrono::Datelike::month(&d) as i32
                                })
                            })
                    })
                    .collect::<Float64Chunked>()
                    .into_series()
            }
            _ => unreachable!("the parser knows the functions"),
        };
        Ok(Val::Col(out.with_name(first.name().clone())))
    }
}

/// The rows of `df` where `text` holds (an empty or null answer counts as false).
pub fn filter(df: &DataFrame, text: &str) -> Result<DataFrame, ExprError> {
    let e = parse(text)?;
    let ev = Eval {
        df,
        len: df.height(),
    };
    let m = mask(ev.eval(&e)?, df.height(), 0)?;
    if m.len() != df.height() {
        return err(0, "the condition does not give one answer per row");
    }
    df.filter(&m).or_else(|e| err(0, e.to_string()))
}

/// `text` evaluated for every row of `df`, named `name`.
pub fn compute(df: &DataFrame, text: &str, name: &str) -> Result<Series, ExprError> {
    let e = parse(text)?;
    let ev = Eval {
        df,
        len: df.height(),
    };
    let s = match ev.eval(&e)? {
        Val::Col(s) if s.len() == df.height() => s,
        Val::Col(s) if s.len() == 1 => s.new_from_index(0, df.height()),
        Val::Col(_) => return err(0, "the expression does not give one value per row"),
        other => series_of(&other, 1).new_from_index(0, df.height()),
    };
    Ok(s.with_name(name.into()))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn table() -> DataFrame {
        let days = Column::new("day".into(), [0i32, 31, 365, 366])
            .cast(&DataType::Date)
            .unwrap();
        DataFrame::new_infer_height(vec![
            Column::new("amount".into(), [10.0, 2e5, 3e5, 50.0]),
            Column::new(
                "type".into(),
                ["TRANSFER", "CASH_OUT", "PAYMENT", "TRANSFER"],
            ),
            Column::new("n".into(), [1i64, 2, 3, 4]),
            Column::new("with space".into(), [Some(1.0), None, Some(3.0), Some(4.0)]),
            days,
        ])
        .unwrap()
    }

    fn rows(text: &str) -> Vec<i64> {
        let out = filter(&table(), text).unwrap_or_else(|e| panic!("{text}: {e}"));
        out.column("n")
            .unwrap()
            .i64()
            .unwrap()
            .into_no_null_iter()
            .collect()
    }

    #[test]
    fn filters_select_the_rows_a_person_would() {
        assert_eq!(
            rows(r#"amount > 1e5 and type in ("TRANSFER","CASH_OUT")"#),
            [2]
        );
        assert_eq!(rows(r#"type not in ('TRANSFER')"#), [2, 3]);
        assert_eq!(rows("n % 2 == 0 or amount < 20"), [1, 2, 4]);
        assert_eq!(rows("not (n >= 3)"), [1, 2]);
        assert_eq!(rows("`with space` > 2"), [3, 4]);
        assert_eq!(rows("is_null(`with space`)"), [2]);
        assert_eq!(
            rows(r#"day >= "1970-02-01" and day < "1971-01-02""#),
            [2, 3]
        );
        assert_eq!(rows("year(day) == 1971"), [3, 4]);
        assert_eq!(rows("month(day) == 2"), [2]);
        assert_eq!(
            rows(r#"contains(type, "OUT") || matches(type, "^PAY")"#),
            [2, 3]
        );
        assert_eq!(rows("-amount < -100000"), [2, 3]);
        assert_eq!(rows("true"), [1, 2, 3, 4]);
        assert_eq!(rows("1 > 2"), Vec::<i64>::new());
    }

    #[test]
    fn computed_columns_are_floating_point_and_keep_nulls() {
        let s = compute(&table(), "amount / 1000 + n * 2", "k").unwrap();
        assert_eq!(s.name().as_str(), "k");
        let v: Vec<f64> = s.f64().unwrap().into_no_null_iter().collect();
        assert_eq!(v, [2.01, 204.0, 306.0, 8.05]);
        let half = compute(&table(), "n / 2", "h").unwrap();
        assert_eq!(half.f64().unwrap().get(0), Some(0.5));
        let nulls = compute(&table(), "`with space` - 1", "m").unwrap();
        assert_eq!(nulls.null_count(), 1);
        let constant = compute(&table(), "2 * 3", "c").unwrap();
        assert_eq!(constant.len(), 4);
        assert_eq!(constant.f64().unwrap().get(3), Some(6.0));
    }

    #[test]
    fn errors_point_at_the_position() {
        let e = |text: &str| match filter(&table(), text) {
            Err(e) => e.to_string(),
            Ok(_) => panic!("{text} should fail"),
        };
        assert_eq!(e("amout > 5"), "at character 1: no column 'amout'");
        assert_eq!(
            e("Amount > 5"),
            "at character 1: no column 'Amount' (did you mean 'amount'?)"
        );
        assert_eq!(
            e("amount > "),
            "at character 10: expected a value, a column or '(' here"
        );
        assert_eq!(
            e("amount > 5 5"),
            "at character 12: expected an operator (and, or, ==, +, ...) or the end here"
        );
        assert_eq!(
            e(r#"type == "X"#),
            "at character 9: this \" is never closed"
        );
        assert_eq!(
            e("type > 5"),
            "at character 6: cannot compare text ('type') with f64 ('lit'); put numbers without quotes"
        );
        assert_eq!(
            e("amount"),
            "at character 1: 'amount' is f64, not true or false: compare it (e.g. amount > 0)"
        );
        assert_eq!(
            e("type + 1"),
            "at character 6: '+' needs numbers; 'type' is str"
        );
        assert_eq!(
            e("sqrt(n)"),
            "at character 1: no function 'sqrt' (there are contains, matches, is_null, abs, year, month)"
        );
        assert_eq!(
            e(r#"day > "soon""#),
            "at character 5: 'soon' is not a date (write it as 2005-01-31)"
        );
        assert_eq!(e("n in (1, 2"), "at character 11: expected ')'");
        assert_eq!(e("n # 2"), "at character 3: '#' is not understood here");
        assert_eq!(e(""), "at character 1: the expression is empty");
        assert_eq!(
            e(r#"matches(type, "(")"#).split(':').next(),
            Some("at character 1")
        );
    }

    #[test]
    fn deep_nesting_is_an_error_not_a_stack_overflow() {
        let deep = [
            format!("{}n > 1{}", "(".repeat(10_000), ")".repeat(10_000)),
            format!("{}n > 1", "not ".repeat(20_000)),
            format!("{}n > 1", "- ".repeat(20_000)),
            vec!["n > 1"; 10_000].join(" or "),
            format!("{} > 1", vec!["n"; 10_000].join(" + ")),
            format!("{}n{} > 1", "abs(".repeat(5_000), ")".repeat(5_000)),
        ];
        for text in &deep {
            let e = filter(&table(), text).unwrap_err().to_string();
            assert!(e.contains("nests deeper than 100 levels"), "{e}");
        }
        // Well within the limit, it still works.
        let ok = vec!["n == 1"; 90].join(" or ");
        assert_eq!(rows(&ok), vec![1]);
    }

    #[test]
    fn nan_compares_as_ieee_floats() {
        let df = DataFrame::new_infer_height(vec![
            Column::new("v".into(), [1.0, f64::NAN, -1.0]),
            Column::new("k".into(), [1i64, 2, 3]),
        ])
        .unwrap();
        let kept = |text: &str| -> Vec<i64> {
            let out = filter(&df, text).unwrap();
            out.column("k")
                .unwrap()
                .i64()
                .unwrap()
                .into_no_null_iter()
                .collect()
        };
        assert_eq!(kept("v > 0"), vec![1]);
        assert_eq!(kept("v <= 0"), vec![3]);
        assert_eq!(kept("v != 1"), vec![2, 3]);
        assert_eq!(kept("v % 0 > 0"), Vec::<i64>::new());
        assert_eq!(kept("0/0 == 0/0"), Vec::<i64>::new());
        assert_eq!(kept("0/0 != 0/0"), vec![1, 2, 3]);
        let e = filter(&table(), "day > 5").unwrap_err().to_string();
        assert!(
            e.contains("cannot compare a date ('day') with a number"),
            "{e}"
        );
    }

    proptest::proptest! {
        /// Any text gives rows or an error, never a panic.
        #[test]
        fn any_text_is_rows_or_an_error(text in "[ -~]{0,40}") {
            let _ = filter(&table(), &text);
            let _ = compute(&table(), &text, "x");
        }

        /// Expressions built from the grammar's pieces, too.
        #[test]
        fn grammar_pieces_never_panic(pieces in proptest::collection::vec(
            proptest::sample::select(vec![
                "amount", "type", "n", "day", "`with space`", "1", "2.5", "\"TRANSFER\"",
                "\"1970-01-01\"", "and", "or", "not", "in", "(", ")", ",", "==", "<", ">=", "+",
                "-", "*", "/", "%", "contains(", "year(", "abs(", "is_null(", "true", "null",
            ]),
            0..12,
        )) {
            let text = pieces.join(" ");
            let _ = filter(&table(), &text);
            let _ = compute(&table(), &text, "x");
        }
    }
}
