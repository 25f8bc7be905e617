//! Static checks (SPEC §4): name resolution, types and lints of programs
//! against an account.
