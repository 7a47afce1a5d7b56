//! The page's entry point; see the library for the editor.

fn main() {
    planner_web::run();
}
