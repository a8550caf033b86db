//! A sliding-window counter per key, kept in memory. Used to limit mails a client address
//! can cause; limits that must hold across instances live in the database instead.

use std::collections::{HashMap, VecDeque};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

#[derive(Clone)]
pub struct WindowLimiter {
    max: usize,
    window: Duration,
    seen: Arc<Mutex<HashMap<String, VecDeque<Instant>>>>,
}

impl WindowLimiter {
    pub fn new(max: usize, window: Duration) -> Self {
        Self {
            max,
            window,
            seen: Arc::default(),
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
        let mut seen = self.seen.lock().unwrap_or_else(|p| p.into_inner());
        // Forget keys whose window has passed, so the map cannot grow without bound.
        seen.retain(|_, times| {
            times
                .back()
                .is_some_and(|last| now.duration_since(*last) < self.window)
        });
        let times = seen.entry(key.to_owned()).or_default();
        while times
            .front()
            .is_some_and(|first| now.duration_since(*first) >= self.window)
        {
            times.pop_front();
        }
        if times.len() >= self.max {
            let oldest = times.front().copied().unwrap_or(now);
            return Err(self.window.saturating_sub(now.duration_since(oldest)));
        }
        times.push_back(now);
        Ok(())
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
    fn the_window_passes() {
        let limiter = WindowLimiter::new(1, Duration::from_millis(20));
        assert!(limiter.allow("a"));
        assert!(!limiter.allow("a"));
        std::thread::sleep(Duration::from_millis(30));
        assert!(limiter.allow("a"));
    }
}
