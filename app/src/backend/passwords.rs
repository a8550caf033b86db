//! argon2id hashing, off the async runtime and bounded, so a login storm cannot starve page
//! loads. Unknown accounts are checked against a dummy hash so timing does not tell.

use crate::error::AppError;
use argon2::password_hash::{self, rand_core::OsRng, PasswordHash, PasswordHasher, SaltString};
use argon2::{Algorithm, Argon2, Block, Params, Version};
use secrecy::{ExposeSecret, SecretString};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use tokio::sync::Semaphore;

/// OWASP's argon2id parameters (also the RustCrypto defaults): 19 MiB, 2 passes, 1 lane.
fn argon2() -> Argon2<'static> {
    let params = Params::new(19 * 1024, 2, 1, None).expect("valid argon2 parameters");
    Argon2::new(Algorithm::Argon2id, Version::V0x13, params)
}

pub fn hash_blocking(password: &SecretString) -> Result<String, AppError> {
    let salt = SaltString::generate(&mut OsRng);
    argon2()
        .hash_password(password.expose_secret().as_bytes(), &salt)
        .map(|hash| hash.to_string())
        .map_err(|err| {
            tracing::error!(error = %err, "password hashing failed");
            AppError::Internal
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
    let verified = PasswordHash::new(phc).and_then(|parsed| {
        let params = Params::try_from(&parsed)?;
        let algorithm = Algorithm::try_from(parsed.algorithm)?;
        let version = parsed
            .version
            .map(Version::try_from)
            .transpose()?
            .unwrap_or_default();
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
    PasswordHash::new(phc)
        .map(|parsed| parsed.algorithm.as_str().starts_with("argon2"))
        .unwrap_or(false)
}

/// Runs at most `concurrency` hashes at once (about one per core: more only adds latency) and
/// lets at most `queue` more wait. Beyond that a request is told `Busy` (503 with
/// `Retry-After`) at once, instead of piling up until every page waits behind hashes.
#[derive(Clone)]
pub struct Passwords {
    permits: Arc<Semaphore>,
    queue: usize,
    waiting: Arc<AtomicUsize>,
    dummy_hash: Arc<String>,
    /// One working memory per running hash, at most `concurrency` of them.
    memories: Arc<Mutex<Vec<HashMemory>>>,
}

/// Counts a waiting request for as long as it waits, however its future ends.
struct Waiting<'a>(&'a AtomicUsize);

impl Drop for Waiting<'_> {
    fn drop(&mut self) {
        self.0.fetch_sub(1, Ordering::SeqCst);
    }
}

impl Passwords {
    pub fn new(concurrency: usize, queue: usize) -> Self {
        let dummy = SecretString::from(uuid_like_random());
        let dummy_hash = hash_blocking(&dummy).expect("hashing a random password works");
        Self {
            permits: Arc::new(Semaphore::new(concurrency.max(1))),
            queue,
            waiting: Arc::default(),
            dummy_hash: Arc::new(dummy_hash),
            memories: Arc::default(),
        }
    }

    pub async fn hash(&self, password: SecretString) -> Result<String, AppError> {
        self.run(move || hash_blocking(&password)).await?
    }

    /// Verifies against `phc`, or against the dummy hash when there is none, so that an
    /// unknown account costs the same time as a known one. `None` never matches.
    pub async fn verify(
        &self,
        phc: Option<String>,
        password: SecretString,
    ) -> Result<bool, AppError> {
        let known = phc.is_some();
        let phc = phc.unwrap_or_else(|| self.dummy_hash.as_ref().clone());
        let memories = self.memories.clone();
        let matches = self
            .run(move || {
                let taken = memories.lock().ok().and_then(|mut kept| kept.pop());
                let mut memory = taken.unwrap_or_default();
                let matches = verify_in(&mut memory, &phc, &password);
                if let Ok(mut kept) = memories.lock() {
                    kept.push(memory);
                }
                matches
            })
            .await?;
        Ok(known && matches)
    }

    async fn run<T: Send + 'static>(
        &self,
        work: impl FnOnce() -> T + Send + 'static,
    ) -> Result<T, AppError> {
        let _permit = match self.permits.clone().try_acquire_owned() {
            Ok(permit) => permit,
            Err(_) => {
                if self.waiting.fetch_add(1, Ordering::SeqCst) >= self.queue {
                    self.waiting.fetch_sub(1, Ordering::SeqCst);
                    tracing::warn!(queue = self.queue, "password hashing saturated");
                    return Err(AppError::Busy);
                }
                let _waiting = Waiting(&self.waiting);
                self.permits
                    .clone()
                    .acquire_owned()
                    .await
                    .map_err(|_| AppError::Internal)?
            }
        };
        tokio::task::spawn_blocking(work).await.map_err(|err| {
            tracing::error!(error = %err, "password hashing task failed");
            AppError::Internal
        })
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
        let hash = hash_blocking(&SecretString::from("Shomei2026")).unwrap();
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
    fn kept_memory_verifies_like_fresh_memory_whatever_the_parameters() {
        let password = SecretString::from("Shomei2026");
        let ours = hash_blocking(&password).unwrap();
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
        let matched = passwords
            .verify(None, SecretString::from("anything"))
            .await
            .unwrap();
        assert!(!matched);
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn hashes_beyond_the_queue_are_refused_as_busy_at_once() {
        let passwords = Passwords::new(1, 1);
        // Stands in for a hash that is running: the one permit is taken.
        let running = passwords.permits.clone().try_acquire_owned().unwrap();
        let queued = {
            let p = passwords.clone();
            tokio::spawn(async move { p.hash(SecretString::from("Shomei2027")).await })
        };
        while passwords.waiting.load(Ordering::SeqCst) == 0 {
            tokio::task::yield_now().await;
        }

        let third = passwords.hash(SecretString::from("Shomei2028")).await;

        assert_eq!(third.unwrap_err(), AppError::Busy);
        drop(running);
        assert!(queued.await.unwrap().is_ok());
        assert_eq!(passwords.waiting.load(Ordering::SeqCst), 0);
    }
}
