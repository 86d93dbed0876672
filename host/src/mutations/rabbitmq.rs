//! The RabbitMQ backend of the mutation queue: one thread owns the AMQP connection (lapin on
//! its own tokio runtime), publishes jobs to a durable queue (`OPENIMIS_MUTATION_QUEUE`) with
//! publisher confirms, and consumes it one job at a time, acknowledging after the job ran.

use super::{BrokerError, Job, Worker};
use futures_lite::StreamExt;
use lapin::options::{
    BasicAckOptions, BasicConsumeOptions, BasicPublishOptions, BasicQosOptions,
    ConfirmSelectOptions, QueueDeclareOptions,
};
use lapin::types::FieldTable;
use lapin::{BasicProperties, Connection, ConnectionProperties};
use std::sync::{mpsc, Arc};
use std::time::Duration;
use tokio::sync::mpsc::{unbounded_channel, UnboundedSender};

const CONNECT_TIMEOUT: Duration = Duration::from_secs(10);
const PUBLISH_TIMEOUT: Duration = Duration::from_secs(10);

type Publish = (Vec<u8>, mpsc::SyncSender<Result<(), String>>);

pub struct Broker {
    publish: UnboundedSender<Publish>,
}

/// Celery writes the default virtual host as a trailing `//`; AMQP URIs spell it `/%2f`.
pub fn amqp_uri(celery_url: &str) -> String {
    match celery_url.strip_suffix("//") {
        Some(base) if base.contains("://") && !base.ends_with(':') => format!("{base}/%2f"),
        _ => celery_url.to_owned(),
    }
}

impl Broker {
    /// Connects, declares the queue and starts consuming; fails with the broker's message.
    pub fn connect(url: &str, queue: &str, worker: &Arc<Worker>) -> Result<Self, BrokerError> {
        let uri = amqp_uri(url);
        let queue = queue.to_owned();
        let (publish, mut outgoing) = unbounded_channel::<Publish>();
        let (ready_tx, ready) = mpsc::sync_channel::<Result<(), String>>(1);
        let worker = worker.clone();
        std::thread::Builder::new()
            .name("mutation-broker".into())
            .spawn(move || {
                let runtime = match tokio::runtime::Builder::new_current_thread()
                    .enable_all()
                    .build()
                {
                    Ok(rt) => rt,
                    Err(e) => {
                        let _ = ready_tx.send(Err(e.to_string()));
                        return;
                    }
                };
                runtime.block_on(async move {
                    let setup = async {
                        let connection =
                            Connection::connect(&uri, ConnectionProperties::default()).await?;
                        let publisher = connection.create_channel().await?;
                        publisher
                            .confirm_select(ConfirmSelectOptions::default())
                            .await?;
                        publisher
                            .queue_declare(
                                queue.as_str().into(),
                                QueueDeclareOptions::durable(),
                                FieldTable::default(),
                            )
                            .await?;
                        let consuming = connection.create_channel().await?;
                        consuming.basic_qos(1, BasicQosOptions::default()).await?;
                        let consumer = consuming
                            .basic_consume(
                                queue.as_str().into(),
                                "openimis-host".into(),
                                BasicConsumeOptions::default(),
                                FieldTable::default(),
                            )
                            .await?;
                        Ok::<_, lapin::Error>((connection, publisher, consumer))
                    };
                    let (_connection, publisher, mut consumer) = match setup.await {
                        Ok(parts) => parts,
                        Err(e) => {
                            let _ = ready_tx.send(Err(e.to_string()));
                            return;
                        }
                    };
                    let _ = ready_tx.send(Ok(()));
                    let consume = async move {
                        while let Some(delivery) = consumer.next().await {
                            let Ok(delivery) = delivery else { break };
                            match serde_json::from_slice::<Job>(&delivery.data) {
                                Ok(job) => {
                                    let worker = worker.clone();
                                    let _ =
                                        tokio::task::spawn_blocking(move || worker.run(job)).await;
                                }
                                Err(e) => log::error!("dropping a malformed queued mutation: {e}"),
                            }
                            if let Err(e) = delivery.ack(BasicAckOptions::default()).await {
                                log::error!("could not acknowledge a queued mutation: {e}");
                            }
                        }
                        log::warn!("the mutation queue consumer stopped");
                    };
                    let produce = async move {
                        while let Some((body, reply)) = outgoing.recv().await {
                            let confirmed = async {
                                publisher
                                    .basic_publish(
                                        "".into(),
                                        queue.as_str().into(),
                                        BasicPublishOptions::default(),
                                        &body,
                                        BasicProperties::default().with_delivery_mode(2),
                                    )
                                    .await?
                                    .await
                            };
                            let _ =
                                reply.send(confirmed.await.map(drop).map_err(|e| e.to_string()));
                        }
                    };
                    tokio::join!(consume, produce);
                });
            })
            .map_err(|e| BrokerError(e.to_string()))?;
        match ready.recv_timeout(CONNECT_TIMEOUT) {
            Ok(Ok(())) => Ok(Self { publish }),
            Ok(Err(e)) => Err(BrokerError(format!("can not use the broker at {url}: {e}"))),
            Err(_) => Err(BrokerError(format!(
                "the broker at {url} did not answer within {CONNECT_TIMEOUT:?}"
            ))),
        }
    }

    /// Publishes one job and waits for the broker's confirmation.
    pub fn publish(&self, job: &Job) -> Result<(), String> {
        let body = serde_json::to_vec(job).map_err(|e| e.to_string())?;
        let (reply, confirmed) = mpsc::sync_channel(1);
        self.publish
            .send((body, reply))
            .map_err(|_| "the broker connection is closed".to_owned())?;
        confirmed
            .recv_timeout(PUBLISH_TIMEOUT)
            .map_err(|_| "the broker did not confirm the mutation".to_owned())?
    }
}

#[cfg(test)]
mod tests {
    use super::amqp_uri;

    #[test]
    fn celerys_default_vhost_becomes_the_amqp_spelling() {
        assert_eq!(
            amqp_uri("amqp://guest:guest@127.0.0.1:5672//"),
            "amqp://guest:guest@127.0.0.1:5672/%2f"
        );
        assert_eq!(amqp_uri("amqp://h:5672/prod"), "amqp://h:5672/prod");
    }
}
