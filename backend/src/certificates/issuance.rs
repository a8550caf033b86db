//! Electronic certificates: when the office marks an application of PDF delivery issued, each
//! of its lines becomes a document stating the registry's facts as they are at that moment,
//! made into a PDF once and kept. The student downloads exactly what was issued, however the
//! registry changes afterwards; nobody else but the university's staff can fetch it.
//!
//! The PDF itself is made by an adapter (the `pdf` crate) behind [`CertificateRenderer`]:
//! fonts and PDF writing are heavy and stay out of this crate.

use super::applications::{jst_date, Applications};
use super::catalogue::{grade_points, type_of};
use super::credentials::STATUS_LIST_ENTRIES;
use super::processing::ActionError;
use super::records::{code_hash, CertificateRecord, EmbeddedRecord, RECORD_FORMAT};
use super::signing::{open_bytes, seal_bytes, KeyError, KeySecret, Signer, SigningKeys, JWKS_PATH};
use super::transcript::totals;
use crate::entities::{application, application_line, certificate_type, issued_document, tenant};
use crate::platform::audit::{self, Actor, Event, Subject};
use crate::platform::permissions;
use crate::platform::secrets::sha256_hex;
use crate::platform::{is_unique_violation, storage, StorageError};
use crate::registry::{self, StudentRecord};
use crate::tenancy;
use chrono::{Datelike, NaiveDate};
use domain::i18n::{DocumentMsg, Lang};
use domain::{
    application_number, ApplicationStatus, CertificateContent, DocumentId, Permission, StaffMember,
    StudentId, StudentStatus, VerificationCode,
};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseTransaction, EntityTrait,
    PaginatorTrait, QueryFilter, Set, TransactionTrait,
};
use serde::{Deserialize, Serialize};

/// A certificate as issued, in one language: everything its document prints, already worded.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CertificateDocument {
    pub lang: Lang,
    pub university: String,
    pub title: String,
    /// `00000123-1`: the application's number and the line's.
    pub number: String,
    pub application_number: String,
    /// As printed (`2026年12月1日`, `1 December 2026`).
    pub issued_on: String,
    /// The registry's facts it states, label and value, in the order printed.
    pub facts: Vec<(String, String)>,
    pub statement: String,
    /// A transcript's course results.
    pub courses: Option<CourseTable>,
    pub footer: String,
    /// Labels the layout needs (`証明書番号`, `発行日`, the page counter's pattern).
    pub number_label: String,
    pub issued_on_label: String,
    pub application_label: String,
    pub page_pattern: String,
    /// Where and how it is verified, printed in the footer beside its QR code. Never stored
    /// with the facts: it carries the verification code.
    #[serde(skip)]
    pub verification: Option<PrintedVerification>,
    /// The issue date in JST (year, month, day): the PDF's creation date.
    #[serde(skip)]
    pub issued_ymd: (u16, u8, u8),
    /// The signed record of what it prints (JSON), embedded in the PDF as a file.
    #[serde(skip)]
    pub record_file: Option<Vec<u8>>,
    /// The university's seal beside its name; none on a specimen.
    #[serde(skip)]
    pub seal: Option<Seal>,
}

/// The seal a certificate prints beside the university's name.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Seal {
    /// The image the university uploaded: a PNG that decoded whole when it was uploaded.
    Image(std::sync::Arc<Vec<u8>>),
    /// No image: these characters (the university's name and 之印) set in a red square.
    Text(String),
}

/// The footer's verification: the QR code's target and what is printed beside it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PrintedVerification {
    /// The verification page with the code in its fragment (the QR code's target).
    pub url: String,
    /// The page's address without the code, printed to be typed.
    pub page: String,
    /// `K7MX-Q2WR-9TPA`.
    pub code: String,
    /// `照合コード`.
    pub code_label: String,
    /// What the reader does with them.
    pub lead: String,
}

/// What signs the certificates and where they are verified.
#[derive(Clone)]
pub struct Issuing {
    pub keys: SigningKeys,
    /// The service's public URL: the verification page's base.
    pub public_url: url::Url,
}

/// What the PDFs of signed certificates are sealed for at rest (they print the code).
const PDF_PURPOSE: &str = "shomei/issued-pdf/v1";

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CourseTable {
    /// 年度, 学期, 科目名, 単位, 評価, 区分.
    pub headings: [String; 6],
    pub rows: Vec<[String; 6]>,
    /// GPA, the credits earned, and those by category.
    pub totals: Vec<(String, String)>,
    /// What a transcript without results says.
    pub empty: String,
}

/// Makes the PDF of a document.
pub trait CertificateRenderer: Send + Sync {
    fn render(&self, document: &CertificateDocument) -> Result<Vec<u8>, RenderError>;
}

#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum RenderError {
    /// No font the service has can print this character: issuing stops rather than print a
    /// blank box in a name.
    #[error("no font of the service can print {0:?} (U+{code:04X})", code = u32::from(*.0))]
    Unprintable(char),
    #[error("the PDF could not be made: {0}")]
    Failed(String),
}

/// A document ready to download.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct IssuedPdf {
    pub file_name: String,
    pub pdf: Vec<u8>,
}

/// One line's document, made before the change of status and written with it.
pub(super) struct Issued {
    pub position: i32,
    pub lang: Lang,
    pub facts: String,
    /// Sealed at rest (`PDF_PURPOSE`), and the SHA-256 of the PDF as delivered.
    pub pdf: Vec<u8>,
    pub sha256: String,
    pub signed: SignedDocument,
}

/// What makes an issued document verifiable.
pub(super) struct SignedDocument {
    pub document_id: DocumentId,
    pub code_hash: String,
    /// The record in canonical form, and its signature.
    pub record: String,
    pub signature: String,
    pub kid: String,
}

/// `2027-03-31` as a certificate prints it.
fn printed_date(iso: &str, lang: Lang) -> Option<String> {
    let date = NaiveDate::parse_from_str(iso, "%Y-%m-%d").ok()?;
    Some(date_in(date, lang))
}

fn date_in(date: NaiveDate, lang: Lang) -> String {
    match lang {
        Lang::Ja => format!("{}年{}月{}日", date.year(), date.month(), date.day()),
        Lang::En => date.format("%-d %B %Y").to_string(),
    }
}

/// The facts a document needs and the registry may lack.
fn required(value: Option<String>, what: DocumentMsg) -> Result<String, ActionError> {
    value
        .map(|v| v.trim().to_owned())
        .filter(|v| !v.is_empty())
        .ok_or(ActionError::MissingFact(what))
}

/// Everything a line's document states, worded in `lang`.
pub(super) struct Wording<'a> {
    pub tenant: &'a tenant::Model,
    pub record: &'a StudentRecord,
    pub content: CertificateContent,
    pub title: String,
    pub lang: Lang,
    pub number: String,
    pub application_number: String,
    pub issued_on: NaiveDate,
    /// The last day it is valid, when its type gives it a validity.
    pub valid_until: Option<NaiveDate>,
}

/// The document of one line; a fact its content needs and the registry lacks refuses it.
pub(super) async fn document_of(
    db: &impl ConnectionTrait,
    wording: Wording<'_>,
) -> Result<CertificateDocument, ActionError> {
    let Wording {
        tenant,
        record,
        content,
        title,
        lang,
        number,
        application_number,
        issued_on,
        valid_until,
    } = wording;
    let text = |msg: DocumentMsg| msg.text(lang).to_owned();
    let date = |iso: Option<&String>, what: DocumentMsg| {
        required(iso.and_then(|d| printed_date(d, lang)), what)
    };
    let name = match lang {
        Lang::Ja => required(Some(record.name.clone()), DocumentMsg::Name)?,
        Lang::En => required(record.name_en.clone(), DocumentMsg::Name)?,
    };
    let mut facts = vec![(text(DocumentMsg::Name), name)];
    if let Some(born) = record.birth_date.as_ref().and_then(|d| printed_date(d, lang)) {
        facts.push((text(DocumentMsg::BirthDate), born));
    }
    // In English, the English names where the registry has them; the Japanese otherwise.
    let (faculty, department) = match lang {
        Lang::Ja => (record.faculty.clone(), record.department.clone()),
        Lang::En => (
            record.faculty_en.clone().or_else(|| record.faculty.clone()),
            record.department_en.clone().or_else(|| record.department.clone()),
        ),
    };
    let optional = [
        (DocumentMsg::StudentNumber, record.student_number.clone()),
        (DocumentMsg::Faculty, faculty),
        (DocumentMsg::Department, department),
    ];
    for (label, value) in optional {
        if let Some(value) = value.filter(|v| !v.trim().is_empty()) {
            facts.push((text(label), value));
        }
    }
    if let Some(admitted) = record.admission_date.as_ref().and_then(|d| printed_date(d, lang)) {
        facts.push((text(DocumentMsg::AdmissionDate), admitted));
    }
    let mut courses = None;
    let statement = match content {
        CertificateContent::Enrollment => match record.status {
            StudentStatus::OnLeave => text(DocumentMsg::StatementOnLeave),
            _ => text(DocumentMsg::StatementEnrolled),
        },
        CertificateContent::ExpectedGraduation => {
            let on = date(
                record.graduation_date.as_ref(),
                DocumentMsg::ExpectedGraduationDate,
            )?;
            facts.push((text(DocumentMsg::ExpectedGraduationDate), on.clone()));
            text(DocumentMsg::StatementExpectedGraduation).replace("{date}", &on)
        }
        CertificateContent::Graduation => {
            let on = date(record.graduation_date.as_ref(), DocumentMsg::GraduationDate)?;
            facts.push((text(DocumentMsg::GraduationDate), on.clone()));
            text(DocumentMsg::StatementGraduation).replace("{date}", &on)
        }
        CertificateContent::Degree => {
            let on = date(record.graduation_date.as_ref(), DocumentMsg::GraduationDate)?;
            let degree = match lang {
                Lang::Ja => record.degree_name.clone(),
                Lang::En => record.degree_name_en.clone(),
            };
            let degree = required(degree, DocumentMsg::Degree)?;
            facts.push((text(DocumentMsg::Degree), degree.clone()));
            text(DocumentMsg::StatementDegree)
                .replace("{date}", &on)
                .replace("{degree}", &degree)
        }
        CertificateContent::HealthCheck => {
            let year = required(
                record.health_check_year.map(|y| y.to_string()),
                DocumentMsg::CheckUpYear,
            )?;
            facts.push((text(DocumentMsg::CheckUpYear), year.clone()));
            text(DocumentMsg::StatementHealthCheck).replace("{year}", &year)
        }
        CertificateContent::Transcript => {
            courses = Some(course_table(db, tenant.id, record, lang).await?);
            text(DocumentMsg::StatementTranscript)
        }
    };
    if let Some(last_day) = valid_until {
        facts.push((text(DocumentMsg::ValidUntil), date_in(last_day, lang)));
    }
    let university = tenancy::display_name(tenant, lang).to_owned();
    Ok(CertificateDocument {
        lang,
        footer: text(DocumentMsg::Footer).replace("{university}", &university),
        university,
        title,
        number,
        application_number,
        issued_on: date_in(issued_on, lang),
        facts,
        statement,
        courses,
        number_label: text(DocumentMsg::DocumentNumber),
        issued_on_label: text(DocumentMsg::IssuedOn),
        application_label: text(DocumentMsg::ApplicationNumber),
        page_pattern: text(DocumentMsg::Page),
        verification: None,
        issued_ymd: (
            issued_on.year() as u16,
            issued_on.month() as u8,
            issued_on.day() as u8,
        ),
        record_file: None,
        seal: None,
    })
}

async fn course_table(
    db: &impl ConnectionTrait,
    tenant_id: i32,
    record: &StudentRecord,
    lang: Lang,
) -> Result<CourseTable, StorageError> {
    let text = |msg: DocumentMsg| msg.text(lang).to_owned();
    let mut results = registry::results_of(db, tenant_id, record.id.0).await?;
    if lang == Lang::En {
        // The term and category as printed, in English where the grade file gives them: the
        // totals by category then follow the English names too.
        for result in &mut results {
            result.term = result.term_en.take().unwrap_or_else(|| result.term.clone());
            result.category =
                (result.category_en.take()).unwrap_or_else(|| result.category.clone());
        }
    }
    let rule = grade_points(db, tenant_id).await?;
    let sums = totals(&results, &rule);
    let rows = results
        .iter()
        .map(|r| {
            let course = match lang {
                Lang::En => r.course_en.clone().unwrap_or_else(|| r.course_ja.clone()),
                Lang::Ja => r.course_ja.clone(),
            };
            [
                r.fiscal_year.to_string(),
                r.term.clone(),
                course,
                r.credits.to_string(),
                r.grade.clone(),
                r.category.clone(),
            ]
        })
        .collect();
    let gpa = sums.gpa_hundredths.map_or(text(DocumentMsg::NoGpa), |h| {
        format!("{}.{:02}", h / 100, h % 100)
    });
    let mut lines = vec![
        (text(DocumentMsg::Gpa), gpa),
        (text(DocumentMsg::CreditsEarned), sums.earned.to_string()),
    ];
    for (category, earned) in sums.earned_by_category {
        let label = text(DocumentMsg::CreditsIn).replace("{category}", &category);
        lines.push((label, earned.to_string()));
    }
    Ok(CourseTable {
        headings: [
            text(DocumentMsg::Year),
            text(DocumentMsg::Term),
            text(DocumentMsg::Course),
            text(DocumentMsg::Credits),
            text(DocumentMsg::Grade),
            text(DocumentMsg::Category),
        ],
        rows,
        totals: lines,
        empty: text(DocumentMsg::NoCourses),
    })
}

impl Applications {
    /// The documents of every line of application `row`, made now from the registry: the
    /// office's "issued" for an application of PDF delivery. Nothing is written here.
    pub(super) async fn make_documents(
        &self,
        tenant: &tenant::Model,
        row: &application::Model,
    ) -> Result<Vec<Issued>, ActionError> {
        let record = registry::record_for_issue(&self.db, tenant.id, StudentId(row.student_id))
            .await?
            .ok_or(ActionError::Storage)?;
        let lines = application_line::Entity::find()
            .filter(application_line::Column::ApplicationId.eq(row.id))
            .all(&self.db)
            .await
            .map_err(storage("reading application lines"))?;
        let issued_on = jst_date(self.clock.now_ms());
        let (signer, secret) = self.signer(tenant.id).await?;
        let seal = super::seal::seal_for(&self.db, tenant).await?;
        let mut issued = Vec::with_capacity(lines.len());
        for line in lines {
            let kind = certificate_type::Entity::find_by_id(line.certificate_type_id)
                .one(&self.db)
                .await
                .map_err(storage("reading a certificate type"))?
                .and_then(type_of)
                .ok_or(ActionError::Storage)?;
            let content = kind.content.ok_or(ActionError::NoContent)?;
            let valid_until =
                kind.valid_days.map(|days| issued_on + chrono::Days::new(u64::from(days)));
            let lang = Lang::from_code(&line.lang).unwrap_or_default();
            let title = match lang {
                Lang::Ja => line.name_ja.clone(),
                Lang::En => line.name_en.clone(),
            };
            let wording = Wording {
                tenant,
                record: &record,
                content,
                title,
                lang,
                number: format!("{}-{}", application_number(row.id), line.position + 1),
                application_number: application_number(row.id),
                issued_on,
                valid_until,
            };
            let mut document = document_of(&self.db, wording).await?;
            document.seal = Some(seal.clone());
            let document_id = DocumentId::from_random(rand::random());
            let code = VerificationCode::from_random(rand::random());
            document.verification = Some(self.printed_verification(&document_id, &code, lang));
            let facts = serde_json::to_string(&document).map_err(|_| ActionError::Storage)?;
            let mut record = CertificateRecord {
                format: RECORD_FORMAT.to_owned(),
                document: document_id.to_string(),
                university: tenant.slug.clone(),
                university_name: document.university.clone(),
                certificate: line.type_code.clone(),
                title: document.title.clone(),
                lang: lang.code().to_owned(),
                number: document.number.clone(),
                facts: document.facts.clone(),
                statement: document.statement.clone(),
                courses: document.courses.clone(),
                issued_on: issued_on.format("%Y-%m-%d").to_string(),
                valid_until: valid_until.map(|day| day.format("%Y-%m-%d").to_string()),
                pdf_sha256: None,
                kid: signer.kid.clone(),
            };
            // The PDF embeds its record signed without its own hash; the record kept adds the
            // hash of the PDF so made, and is signed again.
            document.record_file = Some(EmbeddedRecord::file(&record, &signer, self.jwks_url()));
            let pdf = self.renderer.render(&document).map_err(|err| match err {
                RenderError::Unprintable(c) => ActionError::Unprintable(c),
                RenderError::Failed(why) => {
                    tracing::error!(application = row.id, %why, "a certificate's PDF failed");
                    ActionError::Storage
                }
            })?;
            record.pdf_sha256 = Some(sha256_hex(&pdf));
            let canonical = record.canonical();
            let signed = SignedDocument {
                code_hash: code_hash(&secret, &document_id, &code),
                signature: signer.sign(&canonical),
                record: String::from_utf8(canonical).map_err(|_| ActionError::Storage)?,
                kid: signer.kid.clone(),
                document_id,
            };
            let sha256 = sha256_hex(&pdf);
            let pdf = seal_bytes(
                &secret,
                PDF_PURPOSE,
                signed.document_id.as_str().as_bytes(),
                &pdf,
            );
            issued.push(Issued {
                position: line.position,
                lang,
                facts,
                pdf,
                sha256,
                signed,
            });
        }
        Ok(issued)
    }

    /// University `tenant_id`'s current signing key and the key secret; issuing stops with
    /// `NotSigned` when either cannot be had.
    async fn signer(&self, tenant_id: i32) -> Result<(Signer, KeySecret), ActionError> {
        let keys = &self.issuing.keys;
        let secret = keys.secret.clone().ok_or(ActionError::NotSigned)?;
        match keys.signer(tenant_id).await {
            Ok(signer) => Ok((signer, secret)),
            Err(KeyError::Storage(_)) => Err(ActionError::Storage),
            Err(err) => {
                tracing::error!(tenant_id, %err, "a certificate cannot be signed");
                Err(ActionError::NotSigned)
            }
        }
    }

    /// Where the universities' public keys are published (the JWKS).
    fn jwks_url(&self) -> String {
        let base = self.issuing.public_url.as_str().trim_end_matches('/');
        format!("{base}{JWKS_PATH}")
    }

    /// What the footer of document `id` prints about its verification, in `lang`.
    fn printed_verification(
        &self,
        id: &DocumentId,
        code: &VerificationCode,
        lang: Lang,
    ) -> PrintedVerification {
        let base = self.issuing.public_url.as_str().trim_end_matches('/');
        let page = format!("{base}/v/{id}");
        PrintedVerification {
            url: format!("{page}#{}", code.compact()),
            page,
            code: code.grouped(),
            code_label: DocumentMsg::VerificationCode.text(lang).to_owned(),
            lead: DocumentMsg::VerifyLead.text(lang).to_owned(),
        }
    }

    /// The PDF of line `position` of application `id`, for its student while it stands
    /// issued; `None` for anybody else's, one not issued (or since cancelled), or no such line.
    pub async fn pdf_of_student(
        &self,
        tenant_id: i32,
        student: StudentId,
        id: i32,
        position: i32,
    ) -> Result<Option<IssuedPdf>, StorageError> {
        match self.issued_of_student(tenant_id, student, id, position).await? {
            Some(doc) => delivered(self.issuing.keys.secret.as_ref(), doc).map(Some),
            None => Ok(None),
        }
    }

    /// The public id of the same line's certificate (its Verifiable Credential's), on the same
    /// terms; `None` also for one issued before certificates were signed.
    pub async fn document_of_student(
        &self,
        tenant_id: i32,
        student: StudentId,
        id: i32,
        position: i32,
    ) -> Result<Option<DocumentId>, StorageError> {
        let issued = self.issued_of_student(tenant_id, student, id, position).await?;
        Ok(issued.and_then(|doc| doc.document_id.as_deref().and_then(DocumentId::parse)))
    }

    async fn issued_of_student(
        &self,
        tenant_id: i32,
        student: StudentId,
        id: i32,
        position: i32,
    ) -> Result<Option<issued_document::Model>, StorageError> {
        let issued = application::Entity::find_by_id(id)
            .filter(application::Column::TenantId.eq(tenant_id))
            .filter(application::Column::StudentId.eq(student.0))
            .filter(application::Column::Status.eq(ApplicationStatus::Issued.code()))
            .one(&self.db)
            .await
            .map_err(storage("reading an application"))?;
        match issued {
            Some(row) => self.stored_document(tenant_id, row.id, position).await,
            None => Ok(None),
        }
    }

    /// The same for a staff member who may read the university's students, whatever the
    /// application's status now.
    pub async fn pdf_for_staff(
        &self,
        by: (&StaffMember, &Actor),
        tenant_id: i32,
        id: i32,
        position: i32,
    ) -> Result<Option<IssuedPdf>, ActionError> {
        permissions::require(&self.db, by, Permission::ReadStudents, tenant_id).await?;
        let secret = self.issuing.keys.secret.as_ref();
        let found = match self.stored_document(tenant_id, id, position).await? {
            Some(doc) => Some(delivered(secret, doc)?),
            None => None,
        };
        if found.is_some() {
            // Like a look at the registry, who took a copy of a student's certificate is kept.
            let detail = serde_json::json!({
                "application": application_number(id),
                "line": position + 1,
            })
            .to_string();
            let about = Subject {
                tenant_id: Some(tenant_id),
                staff_id: Some(by.0.id),
                detail: Some(&detail),
                ..Default::default()
            };
            audit::record(&self.db, by.1, Event::StaffDownloadedCertificate, about).await;
        }
        Ok(found)
    }

    async fn stored_document(
        &self,
        tenant_id: i32,
        id: i32,
        position: i32,
    ) -> Result<Option<issued_document::Model>, StorageError> {
        issued_document::Entity::find()
            .filter(issued_document::Column::TenantId.eq(tenant_id))
            .filter(issued_document::Column::ApplicationId.eq(id))
            .filter(issued_document::Column::Position.eq(position))
            .one(&self.db)
            .await
            .map_err(storage("reading an issued certificate"))
    }
}

/// Issued document `doc` as it was delivered: its PDF opened (a signed one is sealed at rest),
/// with its file name.
pub(super) fn delivered(
    secret: Option<&KeySecret>,
    doc: issued_document::Model,
) -> Result<IssuedPdf, StorageError> {
    let pdf = match &doc.document_id {
        // Issued before certificates were signed: kept as it was.
        None => doc.pdf,
        Some(document_id) => {
            let secret = secret.ok_or_else(|| {
                tracing::error!("a signed certificate was asked for without a key secret");
                StorageError
            })?;
            open_bytes(secret, PDF_PURPOSE, document_id.as_bytes(), &doc.pdf).ok_or_else(|| {
                tracing::error!(document = doc.id, "a stored certificate does not open");
                StorageError
            })?
        }
    };
    Ok(IssuedPdf {
        file_name: format!(
            "certificate-{}-{}-{}.pdf",
            application_number(doc.application_id),
            doc.position + 1,
            doc.lang
        ),
        pdf,
    })
}

/// Keeps the documents of application `id`, made before its change of status, in that change's
/// transaction.
pub(super) async fn store(
    txn: &DatabaseTransaction,
    (tenant_id, id, now): (i32, i32, i64),
    documents: Vec<Issued>,
) -> Result<(), StorageError> {
    // The list being filled, counted once for all the application's documents.
    let taken = issued_document::Entity::find()
        .filter(issued_document::Column::TenantId.eq(tenant_id))
        .filter(issued_document::Column::StatusIndex.is_not_null())
        .count(txn)
        .await
        .map_err(storage("counting status list entries"))?;
    let first_list = i32::try_from(taken / STATUS_LIST_ENTRIES as u64).map_err(|_| StorageError)?;
    for document in documents {
        let row = issued_document::ActiveModel {
            tenant_id: Set(tenant_id),
            application_id: Set(id),
            position: Set(document.position),
            lang: Set(document.lang.code().to_owned()),
            facts: Set(document.facts),
            sha256: Set(document.sha256),
            pdf: Set(document.pdf),
            issued_at: Set(now),
            document_id: Set(Some(document.signed.document_id.to_string())),
            code_hash: Set(Some(document.signed.code_hash)),
            record: Set(Some(document.signed.record)),
            signature: Set(Some(document.signed.signature)),
            kid: Set(Some(document.signed.kid)),
            revoked_at: Set(None),
            revoked_reason: Set(None),
            ..Default::default()
        };
        keep_with_status_index(txn, (tenant_id, first_list), row).await?;
    }
    Ok(())
}

/// Draws before a list is given up for the next: a list is full long before this many draws
/// all fall on taken entries.
const DRAWS_PER_LIST: u32 = 16;

/// Keeps `row` with an entry of its university's status lists drawn at random, so a
/// credential's entry tells nothing of when it was issued or how many were issued before it
/// (the Bitstring Status List's advice). The list is the one being filled (a university's
/// 131,072 first certificates share list 0). Each draw is a savepoint: an entry another issue
/// took meanwhile costs only another draw, never the issue.
async fn keep_with_status_index(
    txn: &DatabaseTransaction,
    (tenant_id, first_list): (i32, i32),
    mut row: issued_document::ActiveModel,
) -> Result<(), StorageError> {
    use rand::Rng;
    for draw in 0..4 * DRAWS_PER_LIST {
        let list = first_list + i32::try_from(draw / DRAWS_PER_LIST).unwrap_or_default();
        let entry = rand::thread_rng().gen_range(0..STATUS_LIST_ENTRIES);
        let index = list
            .checked_mul(STATUS_LIST_ENTRIES)
            .and_then(|start| start.checked_add(entry))
            .ok_or(StorageError)?;
        row.status_index = Set(Some(index));
        let savepoint = txn.begin().await.map_err(storage("opening a savepoint"))?;
        match row.clone().insert(&savepoint).await {
            Ok(_) => {
                savepoint.commit().await.map_err(storage("releasing a savepoint"))?;
                return Ok(());
            }
            Err(err) if is_unique_violation(&err) => {
                savepoint.rollback().await.map_err(storage("rolling back a savepoint"))?;
            }
            Err(err) => return Err(storage("keeping an issued certificate")(err)),
        }
    }
    tracing::error!(tenant_id, "no free status list entry after every draw");
    Err(StorageError)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_print_as_each_language_writes_them() {
        assert_eq!(
            printed_date("2027-03-31", Lang::Ja).as_deref(),
            Some("2027年3月31日")
        );
        assert_eq!(
            printed_date("2027-03-01", Lang::En).as_deref(),
            Some("1 March 2027")
        );
        assert_eq!(printed_date("31/03/2027", Lang::Ja), None);
    }
}
