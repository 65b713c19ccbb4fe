//! A stub of the API on its own thread, on a free loopback port: each
//! request is answered as the test's script says, and recorded (request
//! line and headers), so a test can count what reached it.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::sync::{Arc, Mutex};
use std::time::Duration;

/// One request as received.
#[derive(Clone, Debug)]
pub struct Request {
    pub method: String,
    /// `METHOD /path HTTP/1.1`.
    pub line: String,
    /// Header names in lowercase.
    pub headers: Vec<(String, String)>,
}

/// An answer: status, extra headers, a JSON body.
pub struct Reply {
    pub status: u16,
    pub headers: Vec<(&'static str, String)>,
    pub body: String,
}

type Script = dyn Fn(&Request, usize) -> Reply + Send + Sync;

/// A running stub; it lives until the test process ends.
pub struct Server {
    pub url: String,
    seen: Arc<Mutex<Vec<Request>>>,
}

impl Server {
    /// A stub answering `(method, n-th request of that method)` with a
    /// status and a JSON body.
    pub fn start(script: impl Fn(&str, usize) -> (u16, String) + Send + Sync + 'static) -> Server {
        Server::start_with(move |request, n| {
            let (status, body) = script(&request.method, n);
            Reply {
                status,
                headers: Vec::new(),
                body,
            }
        })
    }

    /// A stub answering each request with whatever `script` says.
    pub fn start_with(script: impl Fn(&Request, usize) -> Reply + Send + Sync + 'static) -> Server {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let url = format!("http://{}", listener.local_addr().unwrap());
        let seen = Arc::new(Mutex::new(Vec::new()));
        let log = seen.clone();
        let script: Arc<Script> = Arc::new(script);
        std::thread::spawn(move || {
            for stream in listener.incoming().flatten() {
                let _ = serve(stream, &*script, &log);
            }
        });
        Server { url, seen }
    }

    /// The request lines received, in order.
    pub fn requests(&self) -> Vec<String> {
        self.seen().into_iter().map(|r| r.line).collect()
    }

    /// Every request received, in order.
    pub fn seen(&self) -> Vec<Request> {
        self.seen.lock().unwrap().clone()
    }

    /// Runs `orux ARGS --base-url URL` against this stub, with a test key
    /// and `stdin`.
    pub fn run(&self, args: &[&str], stdin: &str) -> std::process::Output {
        super::orux()
            .env("ORUX_API_KEY", "sk-app-cli-test")
            .env_remove("ORUX_BASE_URL")
            .args(args)
            .args(["--base-url", &self.url])
            .write_stdin(stdin)
            .output()
            .unwrap()
    }

    /// How many requests with this method arrived.
    pub fn count(&self, method: &str) -> usize {
        self.seen().iter().filter(|r| r.method == method).count()
    }
}

fn serve(stream: TcpStream, script: &Script, log: &Mutex<Vec<Request>>) -> std::io::Result<()> {
    stream.set_read_timeout(Some(Duration::from_secs(10)))?;
    let mut reader = BufReader::new(stream.try_clone()?);
    let mut line = String::new();
    reader.read_line(&mut line)?;
    let request_line = line.trim().to_owned();
    let mut length = 0;
    let mut headers = Vec::new();
    loop {
        line.clear();
        reader.read_line(&mut line)?;
        if line.trim().is_empty() {
            break;
        }
        if let Some((name, value)) = line.split_once(':') {
            let (name, value) = (name.trim().to_ascii_lowercase(), value.trim().to_owned());
            if name == "content-length" {
                length = value.parse().unwrap_or(0);
            }
            headers.push((name, value));
        }
    }
    let mut body = vec![0; length];
    reader.read_exact(&mut body)?;
    let request = Request {
        method: request_line.split(' ').next().unwrap_or("").to_owned(),
        line: request_line,
        headers,
    };
    let n = {
        let mut log = log.lock().unwrap();
        let n = log.iter().filter(|r| r.method == request.method).count();
        log.push(request.clone());
        n
    };
    let reply = script(&request, n);
    let mut stream = stream;
    let mut head = format!(
        "HTTP/1.1 {} X\r\ncontent-type: application/json\r\nconnection: close\r\ncontent-length: {}\r\n",
        reply.status,
        reply.body.len()
    );
    for (name, value) in &reply.headers {
        head.push_str(&format!("{name}: {value}\r\n"));
    }
    head.push_str("\r\n");
    stream.write_all(head.as_bytes())?;
    stream.write_all(reply.body.as_bytes())?;
    stream.flush()
}
