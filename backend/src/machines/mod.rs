//! Campus issuing machines: each of one university, known by an API key that is shown once
//! (`shomei machine add`) and stored only as its SHA-256, revocable. A machine reads a student
//! card, shows the balance and takes an amount from it, and prints the certificates its
//! student applied for to be printed on campus, each once; always within its own university.

use crate::certificates::{Applications, PrintError, Printed, PrintingMachine, WaitingPrint};
use crate::entities::machine;
use crate::platform::audit::{self, Actor, Event, Subject};
use crate::platform::clock::Clock;
use crate::platform::secrets::{random_secret, sha256_hex};
use crate::platform::{storage, Db, StorageError};
use crate::registry::{self, RegistryStudent};
use crate::wallet::{self, Account, Debited, IdempotencyKey, Kind, Scope, Wallet, WalletError};
use domain::Yen;
use sea_orm::{ActiveModelTrait, ColumnTrait, EntityTrait, QueryFilter, QueryOrder, Set};
use secrecy::{ExposeSecret, SecretString};

/// What keys start with, so a leaked one is recognised (and found by secret scanners).
pub const KEY_PREFIX: &str = "shm_";

/// The machine API's services, built once at start-up.
#[derive(Clone)]
pub struct Machines {
    pub db: Db,
    pub wallet: Wallet,
    pub clock: Clock,
    /// What prints certificates; `None` where nothing is printed (the operator's commands).
    pub prints: Option<Applications>,
}

/// A machine whose key was accepted.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Machine {
    pub id: i32,
    pub tenant_id: i32,
    pub name: String,
}

/// What went wrong, in the machine API's words.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum MachineError {
    #[error("no student of this university has this card")]
    UnknownCard,
    #[error("a card number is 1 to 32 letters and digits")]
    BadCardNumber,
    #[error("the description must be 1 to 200 characters")]
    BadDescription,
    #[error("no such machine at this university")]
    UnknownMachine,
    #[error("no certificate of this card's student waits to be printed under this number")]
    NothingToPrint,
    #[error("the certificate was printed already")]
    AlreadyPrinted,
    #[error(transparent)]
    Wallet(#[from] WalletError),
}

impl From<StorageError> for MachineError {
    fn from(StorageError: StorageError) -> Self {
        MachineError::Wallet(WalletError::Storage)
    }
}

/// A card as a machine sees it: whose it is and what is on it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Card {
    pub student: RegistryStudent,
    pub balance: Yen,
}

/// A request to take money from a card.
pub struct CardDebit<'a> {
    pub card_number: &'a str,
    pub amount: Yen,
    pub description: &'a str,
    pub key: &'a IdempotencyKey,
}

fn key_hash(key: &str) -> String {
    sha256_hex(key)
}

fn valid_card_number(text: &str) -> bool {
    (1..=32).contains(&text.len()) && text.chars().all(|c| c.is_ascii_alphanumeric())
}

impl Machines {
    pub fn new(db: Db, wallet: Wallet) -> Self {
        Self {
            clock: wallet.clock.clone(),
            db,
            wallet,
            prints: None,
        }
    }

    /// The same, printing certificates with `applications`.
    pub fn with_prints(self, applications: Applications) -> Self {
        Self {
            prints: Some(applications),
            ..self
        }
    }

    /// Adds a machine to a university; returns it and its key, which is never shown again.
    pub async fn add(
        &self,
        tenant_id: i32,
        name: &str,
    ) -> Result<(machine::Model, SecretString), StorageError> {
        let key = format!("{KEY_PREFIX}{}", random_secret());
        let row = machine::ActiveModel {
            tenant_id: Set(tenant_id),
            name: Set(name.trim().to_owned()),
            key_hash: Set(key_hash(&key)),
            created_at: Set(self.clock.now_ms()),
            revoked_at: Set(None),
            ..Default::default()
        }
        .insert(&self.db)
        .await
        .map_err(storage("adding a machine"))?;
        self.record(Event::MachineAdded, tenant_id).await;
        Ok((row, SecretString::from(key)))
    }

    pub async fn list(&self, tenant_id: i32) -> Result<Vec<machine::Model>, StorageError> {
        machine::Entity::find()
            .filter(machine::Column::TenantId.eq(tenant_id))
            .order_by_asc(machine::Column::Id)
            .all(&self.db)
            .await
            .map_err(storage("listing machines"))
    }

    /// Revokes a machine's key for good (a lost or retired machine gets a new entry).
    pub async fn revoke(&self, tenant_id: i32, id: i32) -> Result<(), MachineError> {
        let revoked = machine::Entity::update_many()
            .col_expr(
                machine::Column::RevokedAt,
                sea_orm::sea_query::Expr::value(self.clock.now_ms()),
            )
            .filter(machine::Column::Id.eq(id))
            .filter(machine::Column::TenantId.eq(tenant_id))
            .filter(machine::Column::RevokedAt.is_null())
            .exec(&self.db)
            .await
            .map_err(storage("revoking a machine"))?;
        if revoked.rows_affected == 0 {
            return Err(MachineError::UnknownMachine);
        }
        self.record(Event::MachineRevoked, tenant_id).await;
        Ok(())
    }

    /// The machine whose key this is, if it is one and not revoked.
    pub async fn authenticate(&self, key: &SecretString) -> Result<Option<Machine>, StorageError> {
        let key = key.expose_secret();
        if !key.starts_with(KEY_PREFIX) || key.len() > 100 {
            return Ok(None);
        }
        let found = machine::Entity::find()
            .filter(machine::Column::KeyHash.eq(key_hash(key)))
            .filter(machine::Column::RevokedAt.is_null())
            .one(&self.db)
            .await
            .map_err(storage("finding a machine"))?;
        Ok(found.map(|row| Machine {
            id: row.id,
            tenant_id: row.tenant_id,
            name: row.name,
        }))
    }

    /// The student whose card this is, at the machine's university only, and the balance.
    pub async fn card(&self, machine: &Machine, card_number: &str) -> Result<Card, MachineError> {
        let student = self.card_holder(machine, card_number).await?;
        let balance = self.wallet.balance(machine.tenant_id, student.id).await?;
        Ok(Card { student, balance })
    }

    async fn card_holder(
        &self,
        machine: &Machine,
        card_number: &str,
    ) -> Result<RegistryStudent, MachineError> {
        if !valid_card_number(card_number) {
            return Err(MachineError::BadCardNumber);
        }
        registry::by_card_number(&self.db, machine.tenant_id, card_number)
            .await?
            .ok_or(MachineError::UnknownCard)
    }

    /// Takes an amount from a card, once per idempotency key (see `Wallet::debit`).
    pub async fn debit(
        &self,
        machine: &Machine,
        actor: &Actor,
        request: CardDebit<'_>,
    ) -> Result<Debited, MachineError> {
        let description = request.description.trim();
        if description.is_empty() || description.chars().count() > 200 {
            return Err(MachineError::BadDescription);
        }
        let student = self.card_holder(machine, request.card_number).await?;
        let actor_code = format!("machine:{}", machine.id);
        let debited = self
            .wallet
            .debit(
                actor,
                wallet::Debit {
                    tenant_id: machine.tenant_id,
                    student: student.id,
                    amount: request.amount,
                    kind: Kind::MachineDebit,
                    description,
                    actor: &actor_code,
                    to: Account::MachineSales,
                    key: request.key,
                    scope: Scope::Machine(machine.id),
                },
            )
            .await?;
        Ok(debited)
    }

    /// The certificates waiting at the machines for this card's student.
    pub async fn waiting_prints(
        &self,
        machine: &Machine,
        card_number: &str,
    ) -> Result<Vec<WaitingPrint>, MachineError> {
        let student = self.card_holder(machine, card_number).await?;
        let prints = self.prints.as_ref().ok_or(MachineError::Wallet(WalletError::Storage))?;
        Ok(prints.waiting_prints(machine.tenant_id, student.id).await?)
    }

    /// Line `line` (1-based) of application `number` of this card's student, to print: once,
    /// for this machine and idempotency key (the same key again gets it again).
    pub async fn print(
        &self,
        machine: &Machine,
        actor: &Actor,
        (card_number, number, line): (&str, &str, &str),
        key: &IdempotencyKey,
    ) -> Result<Printed, MachineError> {
        let student = self.card_holder(machine, card_number).await?;
        let prints = self.prints.as_ref().ok_or(MachineError::Wallet(WalletError::Storage))?;
        let id = domain::parse_application_number(number).ok_or(MachineError::NothingToPrint)?;
        let position = match line.parse::<i32>() {
            Ok(n) if n >= 1 => n - 1,
            _ => return Err(MachineError::NothingToPrint),
        };
        let printing = PrintingMachine {
            id: machine.id,
            key: key.as_str(),
        };
        prints
            .print_at_machine(
                actor,
                (machine.tenant_id, student.id),
                (id, position),
                printing,
            )
            .await
            .map_err(|err| match err {
                PrintError::NotFound => MachineError::NothingToPrint,
                PrintError::AlreadyPrinted => MachineError::AlreadyPrinted,
                PrintError::Storage => MachineError::Wallet(WalletError::Storage),
            })
    }

    async fn record(&self, event: Event, tenant_id: i32) {
        audit::record(
            &self.db,
            &Actor::new("operator".to_owned(), ""),
            event,
            Subject {
                tenant_id: Some(tenant_id),
                ..Default::default()
            },
        )
        .await;
    }
}
