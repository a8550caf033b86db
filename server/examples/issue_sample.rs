//! Issues one certificate of enrollment as PDF to a student of a university, through the
//! certificates context as the office would (apply, start, issue), and prints its
//! verification page's path: what `bench/run.sh` (i) loads. The key secret is
//! `SHOMEI_KEYS_SECRET`, as the server's.
//! Usage: issue_sample DATABASE_URL TENANT USER_ID

use backend::certificates::{
    ApplicationRequest, Applications, Issuing, KeySecret, SigningKeys, StaffAction,
};
use backend::entities::issued_document;
use backend::platform::audit::Actor;
use backend::platform::clock::Clock;
use backend::wallet::{IdempotencyKey, Wallet};
use domain::i18n::Lang;
use domain::{CatalogueCode, OrderLine, StaffMember, StaffRole, UserId};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
use secrecy::SecretString;

#[tokio::main]
async fn main() {
    let args: Vec<String> = std::env::args().collect();
    let [_, url, slug, user_id] = args.as_slice() else {
        panic!("usage: issue_sample DATABASE_URL TENANT USER_ID");
    };
    let secret = std::env::var("SHOMEI_KEYS_SECRET").expect("SHOMEI_KEYS_SECRET");
    let db = server::connect_and_migrate(&url.clone().into()).await.expect("the database");
    let tenant = backend::tenancy::require(&db, slug).await.expect("the university");
    let user_id = UserId::parse(user_id).expect("a user ID");
    let student = backend::registry::by_user_id(&db, tenant.id, &user_id)
        .await
        .expect("the registry")
        .expect("the student");
    let font = backend::platform::settings::IPAEX_MINCHO;
    let renderer =
        std::sync::Arc::new(shomei_pdf::PdfRenderer::from_file(font.as_ref()).expect("the font"));
    let wallet = Wallet::new(db.clone());
    let issuing = Issuing {
        keys: SigningKeys {
            db: db.clone(),
            clock: Clock::system(),
            secret: KeySecret::new(&SecretString::from(secret)),
        },
        public_url: "http://127.0.0.1/".parse().expect("a URL"),
    };
    let applications =
        Applications::new(db.clone(), wallet.clone(), renderer).with_issuing(issuing);
    let run = std::process::id();
    wallet
        .adjust(tenant.id, student.id, 200, "bench", "operator", None)
        .await
        .expect("the fee on the card");
    let request = ApplicationRequest {
        lines: vec![OrderLine {
            code: CatalogueCode::parse("enrollment").expect("a code"),
            lang: Lang::Ja,
            copies: 1,
        }],
        purpose: None,
        delivery: CatalogueCode::parse("pdf").expect("a code"),
        address: None,
        lang: Lang::Ja,
    };
    let actor = Actor::new("192.0.2.50".to_owned(), "bench");
    let key = IdempotencyKey::parse(&format!("bench-sample-{run}")).expect("a key");
    let applied = applications
        .apply(&actor, &tenant, student.id, &request, &key)
        .await
        .expect("an application");
    let office = StaffMember {
        id: 0,
        tenant_id: tenant.id,
        login_id: "bench".to_owned(),
        role: StaffRole::Clerk,
    };
    for action in [StaffAction::Start, StaffAction::Issue] {
        applications
            .act((&office, &actor), &tenant, applied.id, action)
            .await
            .expect("the office's step");
    }
    let issued = issued_document::Entity::find()
        .filter(issued_document::Column::ApplicationId.eq(applied.id))
        .one(&db)
        .await
        .expect("the database")
        .expect("the issued certificate");
    println!("/v/{}", issued.document_id.expect("a signed certificate"));
}
