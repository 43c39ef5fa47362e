//! Composition root of Loket: the command line, configuration, and the wiring
//! of store, components, worker and HTTP server. No business rules live here.

pub mod app;
pub mod cli;
pub mod config;
mod pages;
