//! The viewer's own e-mail settings: the language messages are written in
//! and whether reminders come by e-mail at once, as a daily digest, or not at all.

use async_graphql::{Context, Enum, InputObject, Object, SimpleObject};
use pendamping_engine::{EmailDelivery as Delivery, EmailSettings, Language};

use crate::context::{actor, request};
use crate::error::{Outcome, UserError};

/// A language people read messages in.
#[derive(Enum, Debug, Clone, Copy, PartialEq, Eq)]
pub enum MessageLanguage {
    /// Bahasa Indonesia (the default).
    Id,
    /// English.
    En,
}

/// When reminders come by e-mail.
#[derive(Enum, Debug, Clone, Copy, PartialEq, Eq)]
pub enum EmailDelivery {
    /// Never: reminders stay in the in-app inbox only.
    None,
    /// One message per reminder, as soon as it is raised (the default).
    Immediate,
    /// The day's reminders in one message, each morning.
    DailyDigest,
}

/// Your e-mail settings.
#[derive(SimpleObject, Debug, Clone, Copy)]
pub struct EmailPreferences {
    /// The language of your messages.
    pub language: MessageLanguage,
    /// When reminders come by e-mail.
    pub delivery: EmailDelivery,
}

impl From<EmailSettings> for EmailPreferences {
    fn from(s: EmailSettings) -> Self {
        EmailPreferences {
            language: match s.language {
                Language::Indonesian => MessageLanguage::Id,
                Language::English => MessageLanguage::En,
            },
            delivery: match s.delivery {
                Delivery::None => EmailDelivery::None,
                Delivery::Immediate => EmailDelivery::Immediate,
                Delivery::DailyDigest => EmailDelivery::DailyDigest,
            },
        }
    }
}

/// What to change in your e-mail settings; a field left out stays as it is
/// (leave both out to read them).
#[derive(InputObject)]
pub struct SetEmailPreferencesInput {
    /// The language of your messages.
    pub language: Option<MessageLanguage>,
    /// When reminders come by e-mail.
    pub delivery: Option<EmailDelivery>,
}

/// The result of `setEmailPreferences`.
#[derive(SimpleObject)]
pub struct SetEmailPreferencesPayload {
    /// Your settings, as now stored.
    pub email_preferences: Option<EmailPreferences>,
    /// Why they were not changed, if they were not.
    pub user_errors: Vec<UserError>,
}

#[derive(Default)]
pub struct EmailMutation;

/// Your e-mail settings.
#[Object]
impl EmailMutation {
    /// Sets your language and when reminders come by e-mail (audited); a dashboard token, which has no settings, gets FORBIDDEN.
    async fn set_email_preferences(
        &self,
        ctx: &Context<'_>,
        input: SetEmailPreferencesInput,
    ) -> async_graphql::Result<SetEmailPreferencesPayload> {
        let actor = actor(ctx)?;
        let engine = &request(ctx)?.engine;
        let outcome = async {
            let mut settings = engine.email_settings(actor).await?;
            if input.language.is_none() && input.delivery.is_none() {
                return Ok(settings);
            }
            if let Some(language) = input.language {
                settings.language = match language {
                    MessageLanguage::Id => Language::Indonesian,
                    MessageLanguage::En => Language::English,
                };
            }
            if let Some(delivery) = input.delivery {
                settings.delivery = match delivery {
                    EmailDelivery::None => Delivery::None,
                    EmailDelivery::Immediate => Delivery::Immediate,
                    EmailDelivery::DailyDigest => Delivery::DailyDigest,
                };
            }
            engine.set_email_settings(actor, settings).await
        }
        .await;
        let (email_preferences, user_errors) = outcome.map(Into::into).outcome()?;
        Ok(SetEmailPreferencesPayload {
            email_preferences,
            user_errors,
        })
    }
}
