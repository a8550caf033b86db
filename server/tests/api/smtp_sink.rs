//! A small SMTP server the tests start: it accepts every mail and keeps it for reading, or
//! misbehaves as a real one does when told to (busy with 421, refusing with 550).

use mail_parser::MimeHeaders;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;
use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::Notify;

#[derive(Clone, Debug)]
pub struct ReceivedMail {
    pub recipients: Vec<String>,
    pub raw: Vec<u8>,
}

impl ReceivedMail {
    /// The decoded text body (lettre may send it quoted-printable or base64).
    pub fn text(&self) -> String {
        let parsed =
            mail_parser::MessageParser::default().parse(&self.raw).expect("a parsable mail");
        parsed.body_text(0).expect("a text body").into_owned()
    }

    /// The decoded HTML part, if the mail has one.
    pub fn html(&self) -> Option<String> {
        let parsed =
            mail_parser::MessageParser::default().parse(&self.raw).expect("a parsable mail");
        let has_html = parsed.parts.iter().any(|part| {
            part.content_type()
                .is_some_and(|t| t.ctype() == "text" && t.subtype() == Some("html"))
        });
        has_html.then(|| parsed.body_html(0).expect("an HTML body").into_owned())
    }

    pub fn subject(&self) -> String {
        let parsed =
            mail_parser::MessageParser::default().parse(&self.raw).expect("a parsable mail");
        parsed.subject().unwrap_or_default().to_owned()
    }
}

/// How the sink answers a mail.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Fault {
    /// Accepts it.
    None,
    /// `421` to MAIL FROM and closes the connection: a transient error, to retry later.
    Busy,
    /// `550` to RCPT TO: a permanent refusal, not to retry.
    Refuse,
    /// Not listening at all (connections refused) and dropping the connections it had.
    Down,
}

#[derive(Clone)]
pub struct SmtpSink {
    pub port: u16,
    mails: Arc<Mutex<Vec<ReceivedMail>>>,
    arrived: Arc<Notify>,
    fault: Arc<Mutex<Fault>>,
    refusals: Arc<AtomicUsize>,
    accepting: Arc<Mutex<Option<tokio::task::JoinHandle<()>>>>,
}

impl SmtpSink {
    pub async fn start() -> Self {
        Self::start_on(0).await
    }

    pub async fn start_on(port: u16) -> Self {
        let sink = Self {
            port,
            mails: Arc::default(),
            arrived: Arc::default(),
            fault: Arc::new(Mutex::new(Fault::None)),
            refusals: Arc::default(),
            accepting: Arc::default(),
        };
        let port = sink.listen();
        Self { port, ..sink }
    }

    /// Binds the port (a free one if it is 0) and accepts connections on it until stopped.
    fn listen(&self) -> u16 {
        let listener =
            std::net::TcpListener::bind(("127.0.0.1", self.port)).expect("bind SMTP sink");
        listener.set_nonblocking(true).unwrap();
        let listener = TcpListener::from_std(listener).unwrap();
        let port = listener.local_addr().unwrap().port();
        let sink = Self {
            port,
            ..self.clone()
        };
        *self.accepting.lock().unwrap() = Some(tokio::spawn(async move {
            while let Ok((stream, _)) = listener.accept().await {
                let session = sink.clone();
                tokio::spawn(async move {
                    let _ = session.converse(stream).await;
                });
            }
        }));
        port
    }

    pub fn set_fault(&self, fault: Fault) {
        let was = std::mem::replace(&mut *self.fault.lock().unwrap(), fault);
        if fault == Fault::Down {
            if let Some(accepting) = self.accepting.lock().unwrap().take() {
                accepting.abort();
            }
        } else if was == Fault::Down {
            self.listen();
        }
    }

    /// How many times a mail was turned away (421 or 550) so far.
    pub fn refusals(&self) -> usize {
        self.refusals.load(Ordering::SeqCst)
    }

    fn fault(&self) -> Fault {
        *self.fault.lock().unwrap()
    }

    async fn converse(&self, stream: TcpStream) -> std::io::Result<()> {
        let (read, mut write) = stream.into_split();
        let mut lines = BufReader::new(read);
        write.write_all(b"220 sink ESMTP\r\n").await?;
        let mut recipients = Vec::new();
        let mut line = String::new();
        loop {
            line.clear();
            if lines.read_line(&mut line).await? == 0 {
                return Ok(());
            }
            if self.fault() == Fault::Down {
                return Ok(());
            }
            let command = line.trim_end().to_ascii_uppercase();
            if command.starts_with("EHLO") {
                write.write_all(b"250-sink\r\n250 8BITMIME\r\n").await?;
            } else if command.starts_with("MAIL") && self.fault() == Fault::Busy {
                self.refusals.fetch_add(1, Ordering::SeqCst);
                write.write_all(b"421 4.3.2 sink busy, try again later\r\n").await?;
                return Ok(());
            } else if command.starts_with("RCPT") && self.fault() == Fault::Refuse {
                self.refusals.fetch_add(1, Ordering::SeqCst);
                write.write_all(b"550 5.1.1 no such mailbox here\r\n").await?;
            } else if command.starts_with("HELO")
                || command.starts_with("MAIL")
                || command.starts_with("RSET")
                || command.starts_with("NOOP")
            {
                if command.starts_with("RSET") {
                    recipients.clear();
                }
                write.write_all(b"250 OK\r\n").await?;
            } else if command.starts_with("RCPT") {
                let address = line
                    .split_once('<')
                    .and_then(|(_, rest)| rest.split_once('>'))
                    .map(|(addr, _)| addr.to_owned())
                    .unwrap_or_default();
                recipients.push(address);
                write.write_all(b"250 OK\r\n").await?;
            } else if command == "DATA" {
                write.write_all(b"354 go ahead\r\n").await?;
                let mut raw = Vec::new();
                loop {
                    line.clear();
                    if lines.read_line(&mut line).await? == 0 {
                        return Ok(());
                    }
                    if line == ".\r\n" || line == ".\n" {
                        break;
                    }
                    let unstuffed = line.strip_prefix('.').unwrap_or(&line);
                    raw.extend_from_slice(unstuffed.as_bytes());
                }
                self.mails.lock().unwrap().push(ReceivedMail {
                    recipients: std::mem::take(&mut recipients),
                    raw,
                });
                self.arrived.notify_waiters();
                write.write_all(b"250 queued\r\n").await?;
            } else if command.starts_with("QUIT") {
                write.write_all(b"221 bye\r\n").await?;
                return Ok(());
            } else {
                write.write_all(b"502 not implemented\r\n").await?;
            }
        }
    }

    pub fn mails_to(&self, address: &str) -> Vec<ReceivedMail> {
        self.mails
            .lock()
            .unwrap()
            .iter()
            .filter(|mail| mail.recipients.iter().any(|r| r.eq_ignore_ascii_case(address)))
            .cloned()
            .collect()
    }

    /// Waits until `count` mails to `address` have arrived, and returns the newest.
    pub async fn wait_for(&self, address: &str, count: usize) -> ReceivedMail {
        let deadline = tokio::time::Instant::now() + Duration::from_secs(15);
        loop {
            let arrived = self.arrived.notified();
            let mails = self.mails_to(address);
            if mails.len() >= count {
                return mails.last().unwrap().clone();
            }
            if tokio::time::timeout_at(deadline, arrived).await.is_err() {
                panic!("no mail #{count} to {address} within 15 s");
            }
        }
    }
}
