//! The API of campus issuing machines, under `/api/v1/`: read a student card, see its balance,
//! take an amount from it, and print the certificates its student applied for to be printed on
//! campus (each handed to one machine once). Each machine authenticates with its own key (`Authorization:
//! Bearer shm_…`) and reaches only its own university's students. Every request that moves
//! money carries an `Idempotency-Key`. Errors are problem documents (RFC 9457) whose `type`
//! never changes. The OpenAPI 3.1 description is generated from this code and served at
//! `/api/v1/openapi.json`.

use app::web::request::ClientAddress;
use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Extension, Json, Router};
use backend::machines::{CardDebit, Machine, MachineError, Machines};
use backend::platform::audit::Actor;
use backend::wallet::{IdempotencyKey, WalletError};
use domain::Yen;
use secrecy::SecretString;
use serde::{Deserialize, Serialize};
use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::{Modify, OpenApi, ToSchema};

/// The machine API's routes, to be nested under `/api/v1`.
pub fn router(machines: Machines) -> Router {
    Router::new()
        .route("/openapi.json", get(openapi))
        .route("/cards/{card_number}", get(read_card))
        .route("/cards/{card_number}/debits", post(debit_card))
        .route("/cards/{card_number}/prints", get(waiting_prints))
        .route(
            "/cards/{card_number}/prints/{application}/{line}",
            post(print_certificate),
        )
        .with_state(machines)
}

#[derive(OpenApi)]
#[openapi(
    info(
        title = "shomei campus machine API",
        version = "1",
        description = "For a university's issuing machines: read a student card, see its balance, take an amount from it, print the certificates its student applied for to be printed on campus."
    ),
    servers((url = "/api/v1")),
    paths(read_card, debit_card, waiting_prints, print_certificate),
    components(schemas(CardView, DebitRequest, DebitView, PrintsView, PrintView, Problem)),
    modifiers(&MachineKey),
    security(("machine_key" = []))
)]
struct ApiDoc;

struct MachineKey;

impl Modify for MachineKey {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "machine_key",
            SecurityScheme::Http(
                HttpBuilder::new()
                    .scheme(HttpAuthScheme::Bearer)
                    .description(Some("The machine's key from `shomei machine add` (shm_…)."))
                    .build(),
            ),
        );
    }
}

/// The description of this API (OpenAPI 3.1).
pub fn description() -> utoipa::openapi::OpenApi {
    ApiDoc::openapi()
}

async fn openapi() -> Json<utoipa::openapi::OpenApi> {
    Json(description())
}

/// A student card as a machine sees it.
#[derive(Serialize, ToSchema)]
struct CardView {
    card_number: String,
    user_id: String,
    name: String,
    student_number: Option<String>,
    /// `enrolled`, `graduated`, `on_leave` or `withdrawn`.
    status: String,
    /// Whole yen.
    balance: i64,
}

/// An amount to take from a card.
#[derive(Deserialize, ToSchema)]
struct DebitRequest {
    /// Whole yen, more than zero.
    amount: i64,
    /// What it is for, as the student's history shows it (e.g. `在学証明書 1通`).
    description: String,
}

/// A debit that went through.
#[derive(Serialize, ToSchema)]
struct DebitView {
    transaction_id: i32,
    amount: i64,
    /// The card's balance after the debit.
    balance: i64,
    /// True when this key was seen before: the stored answer, nothing moved now.
    replayed: bool,
}

/// The certificates waiting at the machines for a card's student.
#[derive(Serialize, ToSchema)]
struct PrintsView {
    prints: Vec<PrintView>,
}

/// One certificate to print.
#[derive(Serialize, ToSchema)]
struct PrintView {
    /// The application's number (`00000123`) and the line's (from 1): the print call's path.
    application: String,
    line: i32,
    name_ja: String,
    name_en: String,
    /// The language it is printed in: `ja` or `en`.
    language: String,
    /// How many copies to print.
    copies: i32,
}

/// A problem document (RFC 9457). `type` is stable; `title` may change.
#[derive(Serialize, ToSchema)]
struct Problem {
    r#type: &'static str,
    title: &'static str,
    status: u16,
    #[serde(skip_serializing_if = "Option::is_none")]
    detail: Option<String>,
    /// With `insufficient-balance`: the card's balance, in yen.
    #[serde(skip_serializing_if = "Option::is_none")]
    balance: Option<i64>,
}

/// Every way a machine's request can fail, each with its stable `type`.
#[derive(Debug)]
enum ApiProblem {
    Unauthorized,
    BadRequest(&'static str),
    MissingIdempotencyKey,
    UnknownCard,
    InsufficientBalance(Yen),
    KeyReused,
    NothingToPrint,
    AlreadyPrinted,
    Unavailable,
}

impl IntoResponse for ApiProblem {
    fn into_response(self) -> Response {
        let (status, kind, title) = match &self {
            ApiProblem::Unauthorized => (
                StatusCode::UNAUTHORIZED,
                "unauthorized",
                "A valid machine key is required",
            ),
            ApiProblem::BadRequest(_) => (
                StatusCode::BAD_REQUEST,
                "bad-request",
                "The request is not valid",
            ),
            ApiProblem::MissingIdempotencyKey => (
                StatusCode::BAD_REQUEST,
                "missing-idempotency-key",
                "An Idempotency-Key header of 16 to 100 letters, digits, - and _ is required",
            ),
            ApiProblem::UnknownCard => (
                StatusCode::NOT_FOUND,
                "unknown-card",
                "No student of this university has this card",
            ),
            ApiProblem::InsufficientBalance(_) => (
                StatusCode::CONFLICT,
                "insufficient-balance",
                "The card's balance is less than the amount",
            ),
            ApiProblem::KeyReused => (
                StatusCode::UNPROCESSABLE_ENTITY,
                "idempotency-key-reused",
                "This Idempotency-Key was used for another request",
            ),
            ApiProblem::NothingToPrint => (
                StatusCode::NOT_FOUND,
                "nothing-to-print",
                "No certificate of this card's student waits to be printed under this number",
            ),
            ApiProblem::AlreadyPrinted => (
                StatusCode::GONE,
                "already-printed",
                "The certificate was printed already",
            ),
            ApiProblem::Unavailable => (
                StatusCode::SERVICE_UNAVAILABLE,
                "unavailable",
                "The service could not answer; retry with the same key",
            ),
        };
        let problem = Problem {
            r#type: problem_type(kind),
            title,
            status: status.as_u16(),
            detail: match &self {
                ApiProblem::BadRequest(detail) => Some((*detail).to_owned()),
                _ => None,
            },
            balance: match self {
                ApiProblem::InsufficientBalance(balance) => Some(balance.get()),
                _ => None,
            },
        };
        let body = serde_json::to_vec(&problem).unwrap_or_default();
        let mut response = (status, body).into_response();
        let headers = response.headers_mut();
        headers.insert(
            header::CONTENT_TYPE,
            HeaderValue::from_static("application/problem+json"),
        );
        if status == StatusCode::UNAUTHORIZED {
            headers.insert(header::WWW_AUTHENTICATE, HeaderValue::from_static("Bearer"));
        }
        if status == StatusCode::SERVICE_UNAVAILABLE {
            headers.insert(header::RETRY_AFTER, HeaderValue::from_static("5"));
        }
        response
    }
}

/// A problem's stable type: a URN, so it names the problem without promising a page.
fn problem_type(kind: &str) -> &'static str {
    match kind {
        "unauthorized" => "urn:shomei:problem:unauthorized",
        "bad-request" => "urn:shomei:problem:bad-request",
        "missing-idempotency-key" => "urn:shomei:problem:missing-idempotency-key",
        "unknown-card" => "urn:shomei:problem:unknown-card",
        "insufficient-balance" => "urn:shomei:problem:insufficient-balance",
        "idempotency-key-reused" => "urn:shomei:problem:idempotency-key-reused",
        "nothing-to-print" => "urn:shomei:problem:nothing-to-print",
        "already-printed" => "urn:shomei:problem:already-printed",
        _ => "urn:shomei:problem:unavailable",
    }
}

impl From<MachineError> for ApiProblem {
    fn from(err: MachineError) -> Self {
        match err {
            MachineError::UnknownCard => ApiProblem::UnknownCard,
            MachineError::BadCardNumber => {
                ApiProblem::BadRequest("a card number is 1 to 32 letters and digits")
            }
            MachineError::BadDescription => {
                ApiProblem::BadRequest("the description must be 1 to 200 characters")
            }
            MachineError::UnknownMachine => ApiProblem::Unauthorized,
            MachineError::NothingToPrint => ApiProblem::NothingToPrint,
            MachineError::AlreadyPrinted => ApiProblem::AlreadyPrinted,
            MachineError::Wallet(WalletError::InsufficientBalance { balance }) => {
                ApiProblem::InsufficientBalance(balance)
            }
            MachineError::Wallet(WalletError::KeyReusedForAnotherRequest) => ApiProblem::KeyReused,
            MachineError::Wallet(WalletError::ZeroAmount) => {
                ApiProblem::BadRequest("the amount must be whole yen, more than zero")
            }
            MachineError::Wallet(_) => ApiProblem::Unavailable,
        }
    }
}

/// The machine whose key the request carries.
async fn authenticate(machines: &Machines, headers: &HeaderMap) -> Result<Machine, ApiProblem> {
    let key = headers
        .get(header::AUTHORIZATION)
        .and_then(|value| value.to_str().ok())
        .and_then(|value| value.strip_prefix("Bearer "))
        .map(|key| SecretString::from(key.trim().to_owned()))
        .ok_or(ApiProblem::Unauthorized)?;
    machines
        .authenticate(&key)
        .await
        .map_err(|_| ApiProblem::Unavailable)?
        .ok_or(ApiProblem::Unauthorized)
}

fn actor(
    machine: &Machine,
    client: Option<Extension<ClientAddress>>,
    headers: &HeaderMap,
) -> Actor {
    let address = client.map(|Extension(ClientAddress(ip))| ip.to_string()).unwrap_or_default();
    let agent = headers
        .get(header::USER_AGENT)
        .and_then(|value| value.to_str().ok())
        .unwrap_or_default();
    Actor::new(address, &format!("machine:{} {agent}", machine.id))
}

/// Reads a student card: whose it is and its balance.
#[utoipa::path(
    get,
    path = "/cards/{card_number}",
    params(("card_number" = String, Path, description = "The number on the student card")),
    responses(
        (status = 200, description = "The card's student and balance", body = CardView),
        (status = 401, description = "No valid machine key", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No student of this university has this card", body = Problem, content_type = "application/problem+json"),
    )
)]
async fn read_card(
    State(machines): State<Machines>,
    Path(card_number): Path<String>,
    headers: HeaderMap,
) -> Result<Response, ApiProblem> {
    let machine = authenticate(&machines, &headers).await?;
    let card = machines.card(&machine, &card_number).await?;
    let view = CardView {
        card_number,
        user_id: card.student.user_id,
        name: card.student.name,
        student_number: card.student.student_number,
        status: card.student.status.code().to_owned(),
        balance: card.balance.get(),
    };
    Ok(no_store(Json(view).into_response()))
}

/// Takes an amount from a student card, once per `Idempotency-Key`.
#[utoipa::path(
    post,
    path = "/cards/{card_number}/debits",
    params(
        ("card_number" = String, Path, description = "The number on the student card"),
        ("Idempotency-Key" = String, Header, description = "16 to 100 letters, digits, - and _, new for each debit; the same key again gets the same answer and moves nothing"),
    ),
    request_body = DebitRequest,
    responses(
        (status = 201, description = "Debited (or the stored answer of this key)", body = DebitView),
        (status = 400, description = "A missing key, a bad amount or description", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "No valid machine key", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No student of this university has this card", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "The balance is less than the amount; nothing moved", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "The key was used for another request", body = Problem, content_type = "application/problem+json"),
    )
)]
async fn debit_card(
    State(machines): State<Machines>,
    Path(card_number): Path<String>,
    client: Option<Extension<ClientAddress>>,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Response, ApiProblem> {
    let machine = authenticate(&machines, &headers).await?;
    let key = idempotency_key(&headers)?;
    let request: DebitRequest = serde_json::from_slice(&body).map_err(|_| {
        ApiProblem::BadRequest(
            "the body must be JSON: {\"amount\": whole yen, \"description\": text}",
        )
    })?;
    let amount = Yen::new(request.amount).filter(|amount| *amount > Yen::ZERO).ok_or(
        ApiProblem::BadRequest("the amount must be whole yen, more than zero"),
    )?;
    let actor = actor(&machine, client, &headers);
    let debited = machines
        .debit(
            &machine,
            &actor,
            CardDebit {
                card_number: &card_number,
                amount,
                description: &request.description,
                key: &key,
            },
        )
        .await?;
    let view = DebitView {
        transaction_id: debited.transaction_id,
        amount: amount.get(),
        balance: debited.balance.get(),
        replayed: debited.replayed,
    };
    let mut response = (StatusCode::CREATED, Json(view)).into_response();
    if debited.replayed {
        response
            .headers_mut()
            .insert("idempotent-replayed", HeaderValue::from_static("true"));
    }
    Ok(no_store(response))
}

/// Lists the certificates waiting at the machines for a card's student.
#[utoipa::path(
    get,
    path = "/cards/{card_number}/prints",
    params(("card_number" = String, Path, description = "The number on the student card")),
    responses(
        (status = 200, description = "The certificates to print, oldest application first", body = PrintsView),
        (status = 401, description = "No valid machine key", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No student of this university has this card", body = Problem, content_type = "application/problem+json"),
    )
)]
async fn waiting_prints(
    State(machines): State<Machines>,
    Path(card_number): Path<String>,
    headers: HeaderMap,
) -> Result<Response, ApiProblem> {
    let machine = authenticate(&machines, &headers).await?;
    let waiting = machines.waiting_prints(&machine, &card_number).await?;
    let prints = waiting
        .into_iter()
        .map(|print| PrintView {
            application: print.number,
            line: print.line,
            name_ja: print.name_ja,
            name_en: print.name_en,
            language: print.lang,
            copies: print.copies,
        })
        .collect();
    Ok(no_store(Json(PrintsView { prints }).into_response()))
}

/// Hands one certificate to this machine to print: its PDF, once. The same machine with the
/// same `Idempotency-Key` gets it again (after a lost answer); any other request is refused.
/// When every certificate of the application is printed, it is collected.
#[utoipa::path(
    post,
    path = "/cards/{card_number}/prints/{application}/{line}",
    params(
        ("card_number" = String, Path, description = "The number on the student card"),
        ("application" = String, Path, description = "The application's number, as listed"),
        ("line" = i32, Path, description = "The line's number, as listed"),
        ("Idempotency-Key" = String, Header, description = "16 to 100 letters, digits, - and _, new for each certificate"),
    ),
    responses(
        (status = 200, description = "The certificate's PDF; `Shomei-Copies` says how many copies to print, `Idempotent-Replayed: true` that it was given before", content_type = "application/pdf"),
        (status = 400, description = "No Idempotency-Key", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "No valid machine key", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such card, or no such certificate waiting for its student", body = Problem, content_type = "application/problem+json"),
        (status = 410, description = "Printed already (by another machine or key)", body = Problem, content_type = "application/problem+json"),
    )
)]
async fn print_certificate(
    State(machines): State<Machines>,
    Path((card_number, application, line)): Path<(String, String, String)>,
    client: Option<Extension<ClientAddress>>,
    headers: HeaderMap,
) -> Result<Response, ApiProblem> {
    let machine = authenticate(&machines, &headers).await?;
    let key = idempotency_key(&headers)?;
    let actor = actor(&machine, client, &headers);
    let printed = machines
        .print(&machine, &actor, (&card_number, &application, &line), &key)
        .await?;
    let mut response = printed.pdf.pdf.into_response();
    let headers = response.headers_mut();
    headers.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/pdf"),
    );
    headers.insert("shomei-copies", HeaderValue::from(printed.copies));
    if printed.replayed {
        headers.insert("idempotent-replayed", HeaderValue::from_static("true"));
    }
    Ok(no_store(response))
}

/// The request's `Idempotency-Key`, which every request that moves money or hands over a
/// certificate carries.
fn idempotency_key(headers: &HeaderMap) -> Result<IdempotencyKey, ApiProblem> {
    headers
        .get("idempotency-key")
        .and_then(|value| value.to_str().ok())
        .and_then(IdempotencyKey::parse)
        .ok_or(ApiProblem::MissingIdempotencyKey)
}

/// A card's holder and balance are nobody's to keep.
fn no_store(mut response: Response) -> Response {
    response
        .headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    response
}
