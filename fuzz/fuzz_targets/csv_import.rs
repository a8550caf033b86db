//! The registry import's checks on any bytes: an answer (a count or a located error), never a
//! panic, and never more students than the file has lines.
#![no_main]

use backend::registry::{check_csv, ImportError};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|file: &[u8]| {
    match check_csv(file) {
        Ok(students) => {
            let lines = file.split(|b| *b == b'\n' || *b == b'\r').count();
            assert!(
                students < lines.max(1),
                "{students} students from {lines} lines"
            );
        }
        Err(ImportError::Row { line, column, .. }) => {
            assert!(line >= 1, "a row error names its line");
            assert!(!column.is_empty(), "a row error names its column");
        }
        Err(ImportError::Header(_) | ImportError::Unreadable(_)) => {}
        Err(ImportError::Storage(reason)) => panic!("checking never touches storage: {reason}"),
    }
});
