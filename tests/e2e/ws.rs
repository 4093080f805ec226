//! The graphql-ws client the tests speak over `/graphql/ws`.

use std::time::Duration;

use futures_util::{SinkExt, StreamExt};
use serde_json::{Value, json};
use tokio_tungstenite::tungstenite::Message;
use tokio_tungstenite::tungstenite::client::IntoClientRequest;
use tokio_tungstenite::tungstenite::handshake::client::Response;

use crate::server::Server;

pub type Socket =
    tokio_tungstenite::WebSocketStream<tokio_tungstenite::MaybeTlsStream<tokio::net::TcpStream>>;

/// Opens `/graphql/ws` with the graphql-ws subprotocol and sends
/// `connection_init` with `token`; the socket and the server's handshake answer.
pub async fn open(server: &Server, token: &str) -> (Socket, Response) {
    let url = server.url("/graphql/ws").replace("http://", "ws://");
    let mut request = url.into_client_request().unwrap();
    request.headers_mut().insert(
        "sec-websocket-protocol",
        "graphql-transport-ws".parse().unwrap(),
    );
    let (mut socket, response) = tokio_tungstenite::connect_async(request).await.unwrap();
    send(
        &mut socket,
        json!({"type": "connection_init", "payload": {"token": token}}),
    )
    .await;
    (socket, response)
}

pub async fn send(socket: &mut Socket, message: Value) {
    socket
        .send(Message::Text(message.to_string().into()))
        .await
        .unwrap();
}

/// What the server said next, pings answered on the way.
pub enum Said {
    Json(Value),
    /// The close code and reason (1005 when the close frame gave none, 1006
    /// when the connection broke or ended without one).
    Closed(u16, String),
}

/// The next thing the server says before `deadline`; `None` on timeout.
pub async fn next_said(socket: &mut Socket, deadline: tokio::time::Instant) -> Option<Said> {
    loop {
        let message = tokio::time::timeout_at(deadline, socket.next())
            .await
            .ok()?;
        match message {
            Some(Ok(Message::Text(text))) => {
                let value: Value = serde_json::from_str(&text).unwrap();
                if value["type"] == "ping" {
                    send(socket, json!({"type": "pong"})).await;
                    continue;
                }
                return Some(Said::Json(value));
            }
            Some(Ok(Message::Close(frame))) => {
                let (code, reason) = frame
                    .map(|f| (u16::from(f.code), f.reason.to_string()))
                    .unwrap_or((1005, String::new()));
                return Some(Said::Closed(code, reason));
            }
            Some(Ok(_)) => continue,
            Some(Err(err)) => return Some(Said::Closed(1006, err.to_string())),
            None => return Some(Said::Closed(1006, "closed".into())),
        }
    }
}

/// The next JSON message, `Err(reason)` when the server closed, `None` on timeout.
pub async fn next_message(socket: &mut Socket, wait: Duration) -> Option<Result<Value, String>> {
    let deadline = tokio::time::Instant::now() + wait;
    Some(match next_said(socket, deadline).await? {
        Said::Json(value) => Ok(value),
        Said::Closed(_, reason) => Err(reason),
    })
}
