//! argon2id hashing, off the async runtime and bounded, so a login storm cannot starve page
//! loads. Unknown accounts are checked against a dummy hash so timing does not tell.

use argon2::password_hash::{
    self, rand_core::OsRng, PasswordHash as Phc, PasswordHasher, SaltString,
};
use argon2::{Algorithm, Argon2, Block, Params, Version};
use secrecy::{ExposeSecret, SecretString};
use std::panic::AssertUnwindSafe;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::mpsc;
use std::sync::{Arc, Mutex};
use tokio::sync::oneshot;

/// Why a password could not be hashed or checked.
#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error)]
pub enum HashError {
    /// Every hashing thread is busy and the queue is full: come back in a moment.
    #[error("password hashing is saturated")]
    Busy,
    /// Hashing itself failed (logged where it happened).
    #[error("password hashing failed")]
    Failed,
}

/// A password hash as stored: a PHC string (`$argon2id$v=19$…`). Its `Debug` never shows it,
/// so a model or a session that holds one can be logged without handing out what an offline
/// guessing attack needs; only [`PasswordHash::as_str`] reads it, to verify or to store.
#[derive(Clone, PartialEq, Eq, sea_orm::DeriveValueType)]
pub struct PasswordHash(String);

impl PasswordHash {
    /// A hash from the registry's CSV, once `is_supported_hash` has accepted it.
    pub fn from_phc(phc: String) -> Self {
        Self(phc)
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl std::fmt::Debug for PasswordHash {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("PasswordHash(<redacted>)")
    }
}

/// What a new hash costs.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum HashCost {
    /// OWASP's argon2id parameters (also the RustCrypto defaults): 19 MiB, 2 passes, 1 lane.
    #[default]
    Owasp,
    /// The least argon2id allows (8 KiB, 1 pass): for tests of services only, so that a rule
    /// is checked in milliseconds. Verifying reads the cost from the stored hash either way.
    Minimal,
}

fn argon2_costing(cost: HashCost) -> Argon2<'static> {
    let params = match cost {
        HashCost::Owasp => Params::new(19 * 1024, 2, 1, None),
        HashCost::Minimal => Params::new(8, 1, 1, None),
    }
    .expect("valid argon2 parameters");
    Argon2::new(Algorithm::Argon2id, Version::V0x13, params)
}

fn argon2() -> Argon2<'static> {
    argon2_costing(HashCost::Owasp)
}

pub fn hash_blocking(password: &SecretString) -> Result<PasswordHash, HashError> {
    hash_costing(HashCost::Owasp, password)
}

fn hash_costing(cost: HashCost, password: &SecretString) -> Result<PasswordHash, HashError> {
    let salt = SaltString::generate(&mut OsRng);
    argon2_costing(cost)
        .hash_password(password.expose_secret().as_bytes(), &salt)
        .map(|hash| PasswordHash(hash.to_string()))
        .map_err(|err| {
            tracing::error!(error = %err, "password hashing failed");
            HashError::Failed
        })
}

/// argon2's working memory (19 MiB with our parameters), kept from one verification to the
/// next. Allocated afresh for every hash it cost a page fault per 4 KiB page and a memset:
/// a quarter of the CPU time of a login storm went to the kernel (docs/PERFORMANCE.md).
/// It holds only blocks derived from the last password, which the next hash overwrites.
#[derive(Default)]
pub struct HashMemory(Vec<Block>);

impl HashMemory {
    fn blocks(&mut self, count: usize) -> &mut [Block] {
        if self.0.len() < count {
            self.0.resize(count, Block::default());
        }
        &mut self.0[..count]
    }
}

/// Verifies `password` against the PHC string `phc` (any argon2 variant and parameters, as
/// imported registries may hold), computing in `memory`.
pub fn verify_in(memory: &mut HashMemory, phc: &str, password: &SecretString) -> bool {
    let verified = Phc::new(phc).and_then(|parsed| {
        let params = Params::try_from(&parsed)?;
        let algorithm = Algorithm::try_from(parsed.algorithm)?;
        let version = parsed.version.map(Version::try_from).transpose()?.unwrap_or_default();
        let (Some(salt), Some(expected)) = (parsed.salt, parsed.hash) else {
            return Err(password_hash::Error::PhcStringField);
        };
        let mut salt_bytes = [0u8; 64];
        let salt = salt.decode_b64(&mut salt_bytes)?;
        let mut computed = vec![0u8; expected.len()];
        let blocks = memory.blocks(params.block_count());
        Argon2::new(algorithm, version, params).hash_password_into_with_memory(
            password.expose_secret().as_bytes(),
            salt,
            &mut computed,
            blocks,
        )?;
        // `Output` compares in constant time.
        Ok(password_hash::Output::new(&computed)? == expected)
    });
    verified.unwrap_or_else(|err| {
        tracing::error!(error = %err, "stored password hash is unreadable");
        false
    })
}

/// Whether `phc` is an argon2 hash this service can verify (checked on import).
pub fn is_supported_hash(phc: &str) -> bool {
    Phc::new(phc)
        .map(|parsed| parsed.algorithm.as_str().starts_with("argon2"))
        .unwrap_or(false)
}

/// Whether a verified hash should be replaced by one of today's: anything but argon2id with
/// the parameters of `argon2()` (an import may bring argon2i, argon2d or weaker parameters).
pub fn needs_rehash(phc: &str) -> bool {
    let Ok(parsed) = Phc::new(phc) else {
        return true;
    };
    let current = argon2();
    let ours = current.params();
    parsed.algorithm != Algorithm::Argon2id.ident()
        || Params::try_from(&parsed).map_or(true, |params| {
            params.m_cost() != ours.m_cost()
                || params.t_cost() != ours.t_cost()
                || params.p_cost() != ours.p_cost()
        })
}

/// A job for a hashing thread: it computes in that thread's kept working memory.
type Job = Box<dyn FnOnce(&mut HashMemory) + Send>;

/// Runs password hashes on `concurrency` threads of their own (about one per core: more only
/// adds latency) and lets at most `queue` more wait. Beyond that a request is told `Busy`
/// (503 with `Retry-After`) at once, instead of piling up until every page waits behind hashes.
///
/// Each thread takes the next waiting job itself as soon as it finishes one. Handing each hash
/// to tokio's blocking pool behind a semaphore instead left the cores 5–16 % idle in a login
/// storm: every hand-off woke two sleeping threads, and a virtual machine is slow to wake one
/// (docs/PERFORMANCE.md).
#[derive(Clone)]
pub struct Passwords {
    jobs: mpsc::Sender<Job>,
    /// Jobs queued or running, at most `capacity`: the running ones and `queue` more.
    in_flight: Arc<AtomicUsize>,
    capacity: usize,
    dummy_hash: Arc<PasswordHash>,
    cost: HashCost,
    /// Hashes computed so far (for the operator's figures, and for tests that what a request
    /// costs does not depend on which credential was wrong).
    computed: Arc<std::sync::atomic::AtomicU64>,
}

/// Counts a job from the moment it is queued until it has run or been dropped.
struct InFlight(Arc<AtomicUsize>);

impl Drop for InFlight {
    fn drop(&mut self) {
        self.0.fetch_sub(1, Ordering::SeqCst);
    }
}

impl Passwords {
    pub fn new(concurrency: usize, queue: usize) -> Self {
        Self::costing(HashCost::Owasp, concurrency, queue)
    }

    pub fn costing(cost: HashCost, concurrency: usize, queue: usize) -> Self {
        let dummy = SecretString::from(uuid_like_random());
        let dummy_hash = hash_costing(cost, &dummy).expect("hashing a random password works");
        let concurrency = concurrency.max(1);
        let (jobs, waiting) = mpsc::channel::<Job>();
        let waiting = Arc::new(Mutex::new(waiting));
        for number in 0..concurrency {
            let waiting = waiting.clone();
            std::thread::Builder::new()
                .name(format!("password-hash-{number}"))
                .spawn(move || hashing_thread(&waiting))
                .expect("a hashing thread starts");
        }
        Self {
            jobs,
            in_flight: Arc::default(),
            capacity: concurrency + queue,
            dummy_hash: Arc::new(dummy_hash),
            cost,
            computed: Arc::default(),
        }
    }

    /// How many hashes (computed or verified) have run since start.
    pub fn computed(&self) -> u64 {
        self.computed.load(Ordering::SeqCst)
    }

    pub async fn hash(&self, password: SecretString) -> Result<PasswordHash, HashError> {
        let cost = self.cost;
        self.run(move |_| hash_costing(cost, &password)).await?
    }

    /// Verifies against `phc`, or against the dummy hash when there is none, so that an
    /// unknown account costs the same time as a known one. `None` never matches.
    pub async fn verify(
        &self,
        phc: Option<PasswordHash>,
        password: SecretString,
    ) -> Result<bool, HashError> {
        let known = phc.is_some();
        let phc = phc.unwrap_or_else(|| self.dummy_hash.as_ref().clone());
        let matches = self.run(move |memory| verify_in(memory, phc.as_str(), &password)).await?;
        Ok(known && matches)
    }

    async fn run<T: Send + 'static>(
        &self,
        work: impl FnOnce(&mut HashMemory) -> T + Send + 'static,
    ) -> Result<T, HashError> {
        self.submit(work)?.await.map_err(|_| {
            tracing::error!("password hashing job failed");
            HashError::Failed
        })
    }

    /// Queues `work` for the next free hashing thread, or refuses it at once when the queue
    /// is full.
    fn submit<T: Send + 'static>(
        &self,
        work: impl FnOnce(&mut HashMemory) -> T + Send + 'static,
    ) -> Result<oneshot::Receiver<T>, HashError> {
        if self.in_flight.fetch_add(1, Ordering::SeqCst) >= self.capacity {
            self.in_flight.fetch_sub(1, Ordering::SeqCst);
            tracing::warn!(capacity = self.capacity, "password hashing saturated");
            return Err(HashError::Busy);
        }
        let counted = InFlight(self.in_flight.clone());
        let computed = self.computed.clone();
        let (answer, answered) = oneshot::channel();
        let job: Job = Box::new(move |memory| {
            // A request abandoned while it waited (the client went away) costs no hash.
            if answer.is_closed() {
                return;
            }
            let result = work(memory);
            computed.fetch_add(1, Ordering::SeqCst);
            // Uncounted before the answer, so the login's next hash finds this one's place.
            drop(counted);
            let _ = answer.send(result);
        });
        self.jobs.send(job).map_err(|_| {
            tracing::error!("no password hashing thread is running");
            HashError::Failed
        })?;
        Ok(answered)
    }
}

/// Takes waiting jobs one after another until every `Passwords` handle is gone. A job that
/// panics fails only its own request (its answer is dropped); the thread goes on.
fn hashing_thread(waiting: &Mutex<mpsc::Receiver<Job>>) {
    let mut memory = HashMemory::default();
    loop {
        // The lock is held only while waiting for a job, never while hashing: in a `while let`
        // the guard would live through the body and the threads would hash one at a time.
        let next = match waiting.lock() {
            Ok(receiver) => receiver.recv(),
            Err(_) => return,
        };
        let Ok(job) = next else { return };
        let _ = std::panic::catch_unwind(AssertUnwindSafe(|| job(&mut memory)));
    }
}

fn uuid_like_random() -> String {
    use rand::RngCore;
    let mut bytes = [0u8; 24];
    OsRng.fill_bytes(&mut bytes);
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_hash_verifies_only_its_own_password() {
        let hash = hash_blocking(&SecretString::from("Shomei2026")).unwrap().as_str().to_owned();
        assert!(hash.starts_with("$argon2id$v=19$m=19456,t=2,p=1$"));
        let mut memory = HashMemory::default();
        assert!(verify_in(
            &mut memory,
            &hash,
            &SecretString::from("Shomei2026")
        ));
        assert!(!verify_in(
            &mut memory,
            &hash,
            &SecretString::from("shomei2026")
        ));
    }

    #[test]
    fn only_argon2id_with_todays_parameters_is_kept_as_it_is() {
        let ours = hash_blocking(&SecretString::from("Shomei2026")).unwrap().as_str().to_owned();
        let salt = SaltString::generate(&mut OsRng);
        let weaker = Argon2::new(
            Algorithm::Argon2id,
            Version::V0x13,
            Params::new(4 * 1024, 1, 1, None).unwrap(),
        )
        .hash_password(b"Shomei2026", &salt)
        .unwrap()
        .to_string();
        let argon2i = Argon2::new(Algorithm::Argon2i, Version::V0x13, Params::default())
            .hash_password(b"Shomei2026", &salt)
            .unwrap()
            .to_string();

        assert!(!needs_rehash(&ours));
        assert!(needs_rehash(&weaker));
        assert!(needs_rehash(&argon2i));
    }

    #[test]
    fn kept_memory_verifies_like_fresh_memory_whatever_the_parameters() {
        let password = SecretString::from("Shomei2026");
        let ours = hash_blocking(&password).unwrap().as_str().to_owned();
        // An imported registry may hold other variants and sizes (argon2i, 8 MiB, 3 passes).
        let salt = SaltString::generate(&mut OsRng);
        let params = Params::new(8 * 1024, 3, 1, None).unwrap();
        let theirs = Argon2::new(Algorithm::Argon2i, Version::V0x13, params)
            .hash_password(b"Shomei2026", &salt)
            .unwrap()
            .to_string();
        let mut memory = HashMemory::default();

        for phc in [&ours, &theirs, &ours] {
            assert!(verify_in(&mut memory, phc, &password));
            assert!(!verify_in(
                &mut memory,
                phc,
                &SecretString::from("Shomei2027")
            ));
        }
        assert!(!verify_in(&mut memory, "$argon2id$v=19$broken", &password));
    }

    #[tokio::test]
    async fn an_unknown_account_never_matches_even_with_the_dummy_password() {
        let passwords = Passwords::new(1, 0);
        let matched = passwords.verify(None, SecretString::from("anything")).await.unwrap();
        assert!(!matched);
    }

    #[tokio::test]
    async fn hashes_beyond_the_queue_are_refused_as_busy_at_once() {
        let passwords = Passwords::new(1, 1);
        // Stands in for a long hash: it holds the one thread until `release` is sent.
        let (release, held) = std::sync::mpsc::channel::<()>();
        let (started, has_started) = oneshot::channel();
        let running = passwords
            .submit(move |_| {
                let _ = started.send(());
                held.recv().is_ok()
            })
            .unwrap();
        has_started.await.unwrap();
        let queued = passwords.submit(|_| hash_blocking(&SecretString::from("Shomei2027")));

        let third = passwords.submit(|_| hash_blocking(&SecretString::from("Shomei2028")));

        assert_eq!(third.unwrap_err(), HashError::Busy);
        release.send(()).unwrap();
        assert!(running.await.unwrap());
        assert!(queued.unwrap().await.unwrap().is_ok());
        assert_eq!(passwords.in_flight.load(Ordering::SeqCst), 0);
    }

    #[tokio::test]
    async fn a_hash_that_panics_fails_its_own_request_and_the_next_one_runs() {
        let passwords = Passwords::new(1, 4);

        let failed = passwords.run(|_| -> bool { panic!("a broken hash") }).await;
        let next = passwords.verify(None, SecretString::from("anything")).await;

        assert_eq!(failed.unwrap_err(), HashError::Failed);
        assert!(next.is_ok());
    }

    #[test]
    fn a_password_hash_never_shows_in_debug_output() {
        let hash = hash_blocking(&SecretString::from("Shomei2026")).unwrap();

        let shown = format!("{hash:?} {:?}", Some(&hash));

        assert!(!shown.contains("argon2"), "{shown}");
        assert!(!shown.contains(hash.as_str()), "{shown}");
        assert!(shown.contains("<redacted>"));
    }
}
