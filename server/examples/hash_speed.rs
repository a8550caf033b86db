//! Measures this machine's argon2 limit with the service's own parameters: the time of one
//! verification, and how many verifications per second all cores manage together.
//! Used by `bench/run.sh`; prints `key value` lines.

use backend::platform::passwords::{hash_blocking, verify_in, HashMemory};
use secrecy::SecretString;
use std::time::Instant;

const ROUNDS: usize = 24;
const ALL_CORES_FOR: std::time::Duration = std::time::Duration::from_secs(4);

fn main() {
    let password = SecretString::from("bench-Pass-2026");
    let phc = hash_blocking(&password).expect("hashing works");
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());

    // Each hashing thread keeps its working memory, as the service does.
    let mut memory = HashMemory::default();
    verify_in(&mut memory, phc.as_str(), &password); // warm up
    let started = Instant::now();
    for _ in 0..ROUNDS {
        assert!(verify_in(&mut memory, phc.as_str(), &password));
    }
    let one_ms = started.elapsed().as_secs_f64() * 1000.0 / ROUNDS as f64;

    // All cores at once for a few seconds: memory bandwidth is shared, so this is the real
    // ceiling, and a longer run evens out a virtual machine's noise.
    let started = Instant::now();
    let verified: usize = std::thread::scope(|scope| {
        let workers: Vec<_> = (0..cores)
            .map(|_| {
                scope.spawn(|| {
                    let mut memory = HashMemory::default();
                    let mut count = 0;
                    while started.elapsed() < ALL_CORES_FOR {
                        assert!(verify_in(&mut memory, phc.as_str(), &password));
                        count += 1;
                    }
                    count
                })
            })
            .collect();
        workers.into_iter().map(|w| w.join().unwrap()).sum()
    });
    let per_second_all_cores = verified as f64 / started.elapsed().as_secs_f64();

    println!("cores {cores}");
    println!("verify_ms_one_core {one_ms:.1}");
    println!("verifications_per_second_all_cores {per_second_all_cores:.1}");
}
