//! The students of each university: the `Directory` that says who they are and whether a
//! university password is theirs, and the operator's CSV import of the registry.

pub mod console_import;
mod directory;
mod grades;
mod import;
mod search;
mod students;

pub use directory::{Directory, DirectoryError, DirectoryStudent, RegistryDirectory};
pub use grades::{
    apply_grades, check_grades, import_grades, preview_grades, results_of, CourseResult,
    GradeFault, GradesError, GradesPreview, GradesSummary,
};
pub use import::{check_csv, import_csv, ImportError, ImportSummary, RowFault};
pub use search::{
    record, record_for_issue, search, FoundPage, FoundStudent, SearchError, StudentRecord,
    PAGE_SIZE,
};
pub use students::{by_card_number, by_id, by_ids, by_user_id, by_user_id_key, RegistryStudent};
