//! Shared kernel of Loket: the types every component speaks.
//!
//! Owns the ZGW error model (`Fout`, `ValidatieFout`), the JWT-ZGW token format,
//! the authorisation model of the Autorisaties API with its one permission check,
//! the injected clock, pagination and the JSON field reader that turns request
//! bodies into typed values with field-named errors. No I/O, no HTTP, no SQL.

pub mod authz;
pub mod clock;
pub mod error;
pub mod external;
pub mod fields;
pub mod jwt;
pub mod notification;
pub mod page;
pub mod vertrouwelijkheid;

pub use error::{ApiError, InvalidParam};
