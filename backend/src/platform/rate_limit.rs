//! A sliding-window counter per key, kept in memory. Used to limit mails a client address
//! can cause; limits that must hold across instances live in the database instead.

use std::collections::hash_map::DefaultHasher;
use std::collections::{HashMap, VecDeque};
use std::hash::{Hash, Hasher};
use std::net::IpAddr;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// The key a client address is limited by: an IPv4 address as it is, an IPv6 client by its
/// /64 (one household or device gets a whole /64, and would otherwise have 2^64 keys).
pub fn client_key(ip: IpAddr) -> String {
    match ip {
        IpAddr::V4(v4) => v4.to_string(),
        IpAddr::V6(v6) => match v6.to_ipv4_mapped() {
            Some(v4) => v4.to_string(),
            None => {
                let prefix = u128::from(v6) & !((1u128 << 64) - 1);
                format!("{}/64", std::net::Ipv6Addr::from(prefix))
            }
        },
    }
}

/// Keys are spread over this many independently locked shards, so requests of different
/// clients rarely wait for each other.
const SHARDS: usize = 16;

struct Shard {
    seen: HashMap<String, VecDeque<Instant>>,
    last_sweep: Instant,
}

#[derive(Clone)]
pub struct WindowLimiter {
    max: usize,
    window: Duration,
    shards: Arc<[Mutex<Shard>]>,
}

impl WindowLimiter {
    pub fn new(max: usize, window: Duration) -> Self {
        let now = Instant::now();
        Self {
            max,
            window,
            shards: (0..SHARDS)
                .map(|_| {
                    Mutex::new(Shard {
                        seen: HashMap::new(),
                        last_sweep: now,
                    })
                })
                .collect(),
        }
    }

    /// Records an attempt for `key` and says whether it is within the limit.
    pub fn allow(&self, key: &str) -> bool {
        self.check(key).is_ok()
    }

    /// Records an attempt for `key` if it is within the limit; otherwise says how long until
    /// the oldest attempt leaves the window.
    pub fn check(&self, key: &str) -> Result<(), Duration> {
        let now = Instant::now();
        let mut hasher = DefaultHasher::new();
        key.hash(&mut hasher);
        let shard = &self.shards[hasher.finish() as usize % SHARDS];
        let mut shard = shard.lock().unwrap_or_else(|p| p.into_inner());
        // Forget keys whose window has passed, at most once a window per shard, so the map
        // cannot grow without bound and no request pays for sweeping every key.
        if now.duration_since(shard.last_sweep) >= self.window {
            let window = self.window;
            shard.seen.retain(|_, times| {
                times.back().is_some_and(|last| now.duration_since(*last) < window)
            });
            shard.last_sweep = now;
        }
        let times = shard.seen.entry(key.to_owned()).or_default();
        while times.front().is_some_and(|first| now.duration_since(*first) >= self.window) {
            times.pop_front();
        }
        if times.len() >= self.max {
            let oldest = times.front().copied().unwrap_or(now);
            return Err(self.window.saturating_sub(now.duration_since(oldest)));
        }
        times.push_back(now);
        Ok(())
    }

    /// Keys currently held, for tests of the sweeping.
    pub fn keys(&self) -> usize {
        self.shards
            .iter()
            .map(|shard| shard.lock().unwrap_or_else(|p| p.into_inner()).seen.len())
            .sum()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_key_is_refused_past_its_limit_and_others_are_not() {
        let limiter = WindowLimiter::new(2, Duration::from_secs(60));
        assert!(limiter.allow("203.0.113.5"));
        assert!(limiter.allow("203.0.113.5"));
        assert!(!limiter.allow("203.0.113.5"));
        assert!(limiter.allow("198.51.100.7"));
    }

    #[test]
    fn a_refusal_says_when_to_come_back() {
        let limiter = WindowLimiter::new(1, Duration::from_secs(60));
        assert!(limiter.check("a").is_ok());
        let wait = limiter.check("a").unwrap_err();
        assert!(wait > Duration::from_secs(59) && wait <= Duration::from_secs(60));
    }

    #[test]
    fn an_ipv6_client_is_one_key_for_its_whole_64() {
        let a = client_key("2001:db8:1:2:aaaa::1".parse().unwrap());
        let b = client_key("2001:db8:1:2:ffff:ffff:ffff:ffff".parse().unwrap());
        let other = client_key("2001:db8:1:3::1".parse().unwrap());
        assert_eq!(a, b);
        assert_eq!(a, "2001:db8:1:2::/64");
        assert_ne!(a, other);
        assert_eq!(
            client_key("::ffff:203.0.113.5".parse().unwrap()),
            "203.0.113.5"
        );
        assert_eq!(client_key("203.0.113.5".parse().unwrap()), "203.0.113.5");
    }

    #[test]
    fn keys_whose_window_passed_are_forgotten() {
        let limiter = WindowLimiter::new(5, Duration::from_millis(20));
        for n in 0..100 {
            limiter.allow(&format!("client-{n}"));
        }
        std::thread::sleep(Duration::from_millis(30));
        // One request per shard sweeps that shard.
        for n in 0..1000 {
            limiter.allow(&format!("late-{n}"));
        }
        assert_eq!(limiter.keys(), 1000);
    }

    #[test]
    fn a_request_sweeps_only_the_shard_of_its_own_key() {
        let limiter = WindowLimiter::new(5, Duration::from_millis(20));
        for n in 0..200 {
            limiter.allow(&format!("client-{n}"));
        }
        std::thread::sleep(Duration::from_millis(30));

        limiter.allow("late");
        let after_one_request = limiter.keys();

        // About 200 / 16 stale keys shared the late key's shard; every other shard keeps its
        // stale keys until a request of its own comes, so no request locks every key.
        assert!(after_one_request > 150, "{after_one_request} of 201 kept");
        assert!(after_one_request < 200, "the late key's shard was swept");
    }

    #[test]
    fn the_window_passes() {
        let limiter = WindowLimiter::new(1, Duration::from_millis(20));
        assert!(limiter.allow("a"));
        assert!(!limiter.allow("a"));
        std::thread::sleep(Duration::from_millis(30));
        assert!(limiter.allow("a"));
    }
}
