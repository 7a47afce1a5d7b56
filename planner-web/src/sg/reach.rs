//! The reachability question box: can FROM reach TO on PORT (PROTOCOL)? Answered live by the
//! core ([`Graph::reach`]) with the path traffic takes or the hop that blocks it, in the same
//! words as `executor reach`.

use std::rc::Rc;

use planner_core::analysis::reach::Answer;
use planner_core::analysis::sg_graph::Graph;
use planner_core::design::sg::Protocol;
use yew::prelude::*;

use crate::draw::sg_graph::shared::SharedGraph;
use crate::fields::protocol::{protocol, PROTOCOLS};

/// A question as the user put it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Question {
    /// `internet` or a group name.
    pub from: String,
    /// `internet` or a group name.
    pub to: String,
    /// A port (or ICMP type) as typed; empty for every port.
    pub port: String,
    /// The protocol's JSON spelling.
    pub protocol: String,
}

impl Default for Question {
    /// Whether the internet reaches the first group on HTTPS.
    fn default() -> Self {
        Question {
            from: "internet".to_owned(),
            to: String::new(),
            port: "443".to_owned(),
            protocol: "tcp".to_owned(),
        }
    }
}

/// A part of a [`Question`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Field {
    /// The sender.
    From,
    /// The receiver.
    To,
    /// The port.
    Port,
    /// The protocol.
    Protocol,
}

impl Reducible for Question {
    type Action = (Field, String);

    fn reduce(self: Rc<Self>, (field, value): (Field, String)) -> Rc<Self> {
        let mut q = Rc::unwrap_or_clone(self);
        *match field {
            Field::From => &mut q.from,
            Field::To => &mut q.to,
            Field::Port => &mut q.port,
            Field::Protocol => &mut q.protocol,
        } = value;
        Rc::new(q)
    }
}

/// What may be asked about: the internet, then every group of the graph.
pub fn endpoints(graph: &Graph) -> Vec<String> {
    std::iter::once("internet".to_owned())
        .chain(graph.groups.iter().map(|g| g.name.clone()))
        .collect()
}

/// What may be asked about as a destination: [`endpoints`], then AWS services (S3, and
/// every service the plan has an endpoint for) that no group is named after.
pub fn destinations(graph: &Graph) -> Vec<String> {
    let mut services: Vec<String> = std::iter::once("s3".to_owned())
        .chain(graph.services.iter().map(|e| e.service.clone()))
        .filter(|s| graph.group(s).is_none())
        .collect();
    services.sort();
    services.dedup();
    endpoints(graph).into_iter().chain(services).collect()
}

/// `choice` when it is one of `options`, else `fallback`.
pub fn pick(choice: &str, options: &[String], fallback: &str) -> String {
    if options.iter().any(|o| o == choice) {
        choice.to_owned()
    } else {
        fallback.to_owned()
    }
}

/// The port typed: `None` for every port.
///
/// ```
/// use planner_web::sg::reach::parse_port;
/// assert_eq!(parse_port(" 443 "), Ok(Some(443)));
/// assert_eq!(parse_port(""), Ok(None));
/// assert!(parse_port("70000").is_err());
/// ```
pub fn parse_port(text: &str) -> Result<Option<u16>, String> {
    let t = text.trim();
    if t.is_empty() {
        return Ok(None);
    }
    t.parse()
        .map(Some)
        .map_err(|_| format!("expected a port from 0 to 65535, got {t:?}"))
}

/// The core's answer to `q`, or why `q` is not a question (a bad port, an unknown group).
/// Protocol `all` asks about all traffic, so the port is not part of it.
pub fn ask(graph: &Graph, q: &Question) -> Result<Answer, String> {
    let p = protocol(&q.protocol).ok_or_else(|| format!("no protocol {:?}", q.protocol))?;
    let port = match p {
        Protocol::All => None,
        _ => parse_port(&q.port)?,
    };
    graph
        .reach(&graph.endpoint(&q.from), &graph.endpoint(&q.to), p, port)
        .map_err(|e| e.to_string())
}

/// Properties of [`ReachBox`].
#[derive(Properties, PartialEq, Clone)]
pub struct ReachBoxProps {
    /// The graph of the last good plan.
    pub graph: SharedGraph,
    /// Whether that plan is of an earlier version of the design.
    #[prop_or_default]
    pub stale: bool,
}

/// The question box, answered as it is typed.
#[function_component]
pub fn ReachBox(props: &ReachBoxProps) -> Html {
    let asked = use_reducer(Question::default);
    let options = endpoints(&props.graph.0);
    let to_options = destinations(&props.graph.0);
    let first_group = options.get(1).map_or("internet", String::as_str);
    let q = Question {
        from: pick(&asked.from, &options, "internet"),
        to: pick(&asked.to, &to_options, first_group),
        ..(*asked).clone()
    };
    let answer = ask(&props.graph.0, &q);
    let on_select = |field: Field| {
        let asked = asked.clone();
        Callback::from(move |e: Event| {
            let select: web_sys::HtmlSelectElement = e.target_unchecked_into();
            asked.dispatch((field, select.value()))
        })
    };
    let on_port = {
        let asked = asked.clone();
        Callback::from(move |e: InputEvent| {
            let input: web_sys::HtmlInputElement = e.target_unchecked_into();
            asked.dispatch((Field::Port, input.value()))
        })
    };
    let choices = |options: &[String], current: &str| -> Html {
        options
            .iter()
            .map(|o| html! { <option value={o.clone()} selected={o == current}>{ o }</option> })
            .collect()
    };
    let (class, verdict, message) = match &answer {
        Ok(a) if a.reachable => ("reachable", "Reachable", a.message.clone()),
        Ok(a) => ("blocked", "Blocked", a.message.clone()),
        Err(e) => ("invalid", "Not a question", e.clone()),
    };
    let icmp = q.protocol.starts_with("icmp");
    if props.graph.0.groups.is_empty() {
        return html! {
            <section class="sg-reach" aria-labelledby="sg-reach-title">
                <h3 id="sg-reach-title">{ "Can it reach?" }</h3>
                <p class="empty" id="reach-none">{ "Add a security group to ask what reaches it: the internet, another group or an AWS service." }</p>
            </section>
        };
    }
    html! {
        <section class="sg-reach" aria-labelledby="sg-reach-title">
            <h3 id="sg-reach-title">{ "Can it reach?" }</h3>
            <div class="row">
                <label class="field"><span class="label">{ "From" }</span>
                    <select id="reach-from" onchange={on_select(Field::From)}>{ choices(&options, &q.from) }</select></label>
                <label class="field"><span class="label">{ "To" }</span>
                    <select id="reach-to" onchange={on_select(Field::To)}>{ choices(&to_options, &q.to) }</select></label>
                <label class={classes!("field", (class == "invalid").then_some("invalid"))}>
                    <span class="label">{ if icmp { "ICMP type" } else { "Port" } }</span>
                    <input id="reach-port" type="text" inputmode="numeric" size="7" value={q.port.clone()}
                        oninput={on_port} placeholder="every" disabled={q.protocol == "all"} /></label>
                <label class="field"><span class="label">{ "Protocol" }</span>
                    <select id="reach-protocol" onchange={on_select(Field::Protocol)}>
                        { for PROTOCOLS.iter().map(|p| html! {
                            <option value={p.as_str()} selected={p.as_str() == q.protocol}>{ p.as_str() }</option>
                        }) }
                    </select></label>
            </div>
            <output id="reach-answer" class={classes!("reach-answer", class)} aria-live="polite">
                <strong class="verdict">{ verdict }</strong>{ " " }<span class="message">{ message }</span>
            </output>
            if props.stale {
                <p class="sg-stale">{ "Answered from the last valid plan: the design has an error." }</p>
            }
        </section>
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::draw::sg_graph::fixture::graph;

    fn q(from: &str, to: &str, port: &str, protocol: &str) -> Question {
        Question {
            from: from.into(),
            to: to.into(),
            port: port.into(),
            protocol: protocol.into(),
        }
    }

    #[test]
    fn answers_are_the_cores() {
        let g = graph();
        let yes = ask(&g, &q("internet", "alb", "443", "tcp")).unwrap();
        assert!(yes.reachable, "{}", yes.message);
        assert!(yes
            .message
            .starts_with("the internet reaches alb:443: internet → "));
        let no = ask(&g, &q("internet", "db", "5432", "tcp")).unwrap();
        assert!(!no.reachable);
        assert!(
            no.message
                .contains("group db admits tcp 5432 only from group app, group bastion"),
            "{}",
            no.message
        );
        assert!(ask(&g, &q("app", "db", "5432", "tcp")).unwrap().reachable);
        let all = ask(&g, &q("app", "db", "70000", "all")).expect("all traffic takes no port");
        assert!(
            all.message.ends_with("group db admits nothing on all"),
            "{}",
            all.message
        );
    }

    #[test]
    fn what_is_not_a_question_says_why() {
        let g = graph();
        assert_eq!(
            ask(&g, &q("internet", "alb", "70000", "tcp")),
            Err("expected a port from 0 to 65535, got \"70000\"".into())
        );
        assert_eq!(
            ask(&g, &q("internet", "nope", "1", "tcp")),
            Err("no security group named \"nope\"".into())
        );
    }

    #[test]
    fn changes_apply_to_the_latest_question() {
        let q = Rc::new(Question::default())
            .reduce((Field::To, "db".into()))
            .reduce((Field::Port, "5432".into()));
        assert_eq!(
            *q,
            Question {
                to: "db".into(),
                port: "5432".into(),
                ..Question::default()
            }
        );
        assert!(!ask(&graph(), &q).unwrap().reachable);
    }

    #[test]
    fn choices_fall_back_when_a_group_goes() {
        let options = endpoints(&graph());
        assert_eq!(options[..3], ["internet", "db", "app"]);
        assert_eq!(pick("app", &options, "internet"), "app");
        assert_eq!(pick("gone", &options, "db"), "db");
    }
}
