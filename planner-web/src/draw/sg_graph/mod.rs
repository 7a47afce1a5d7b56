//! The security-group graph as a drawing: [`diagram`] (which nodes and arrows, pure),
//! [`layout`] (where they go, pure), [`view`] (the SVG component), and [`shared`] (the graph
//! the views share, compared by identity).

pub mod diagram;
#[cfg(test)]
pub mod fixture;
pub mod layout;
pub mod shared;
pub mod view;
