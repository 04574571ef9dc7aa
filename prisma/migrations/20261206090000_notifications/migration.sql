-- In-app notifications, their preferences and push devices (issue 19; src/services/notifications/).
-- A notification is written in the database transaction of what it reports (the posting function
-- writes money received, sends held for review and limits nearly reached; services write the rest)
-- and fanned out to email, SMS and push after commit by the notification dispatcher, which clears
-- `fanout_pending` in the transaction that queues its messages (notification_messages).
CREATE TYPE "NotificationKind" AS ENUM (
  'MONEY_RECEIVED', 'SEND_HELD_FOR_REVIEW', 'SEND_REVIEW_APPROVED', 'SEND_REVIEW_DECLINED',
  'TOP_UP_SUCCEEDED', 'TOP_UP_FAILED', 'WITHDRAWAL_SETTLED', 'WITHDRAWAL_RETURNED', 'CHARGEBACK',
  'KYC_DECIDED', 'LIMIT_NEARLY_REACHED', 'NEW_DEVICE_SIGN_IN', 'STATEMENT_READY', 'PAYMENT_REQUEST_PAID'
);
ALTER TYPE "NotificationChannel" ADD VALUE IF NOT EXISTS 'PUSH';

CREATE TABLE notifications (
  id             UUID PRIMARY KEY DEFAULT gen_random_uuid(),
  user_id        UUID NOT NULL REFERENCES users (id) ON DELETE CASCADE ON UPDATE CASCADE,
  kind           "NotificationKind" NOT NULL,
  -- The facts it reports (amounts as strings in minor units, ids, names): the words are made from
  -- them when read (src/services/notifications/notices.ts). Never a card or account number.
  data           JSONB NOT NULL DEFAULT '{}',
  created_at     TIMESTAMPTZ(3) NOT NULL DEFAULT clock_timestamp(),
  read_at        TIMESTAMPTZ(3),
  -- Email, SMS and push still to decide and queue (after commit, by the dispatcher).
  fanout_pending BOOLEAN NOT NULL DEFAULT true
);
CREATE INDEX notifications_user_idx ON notifications (user_id, created_at DESC, id DESC);
CREATE INDEX notifications_unread_idx ON notifications (user_id) WHERE read_at IS NULL;
CREATE INDEX notifications_fanout_idx ON notifications (created_at) WHERE fanout_pending;

-- One row per user who changed anything: only the channels that differ from each kind's default,
-- and quiet hours (minutes after midnight in the user's time zone; pushes that are not urgent wait
-- until they end).
CREATE TABLE notification_preferences (
  user_id     UUID PRIMARY KEY REFERENCES users (id) ON DELETE CASCADE ON UPDATE CASCADE,
  channels    JSONB NOT NULL DEFAULT '{}',
  quiet_start SMALLINT CHECK (quiet_start BETWEEN 0 AND 1439),
  quiet_end   SMALLINT CHECK (quiet_end BETWEEN 0 AND 1439),
  updated_at  TIMESTAMPTZ(3) NOT NULL DEFAULT now(),
  CONSTRAINT notification_preferences_quiet_hours_whole CHECK ((quiet_start IS NULL) = (quiet_end IS NULL))
);

-- The devices a user's pushes go to: the push service's token for the app on each.
CREATE TABLE push_devices (
  id           UUID PRIMARY KEY DEFAULT gen_random_uuid(),
  user_id      UUID NOT NULL REFERENCES users (id) ON DELETE CASCADE ON UPDATE CASCADE,
  platform     TEXT NOT NULL CHECK (platform IN ('IOS', 'ANDROID', 'WEB')),
  token        TEXT NOT NULL CHECK (length(token) BETWEEN 8 AND 4096),
  created_at   TIMESTAMPTZ(3) NOT NULL DEFAULT now(),
  CONSTRAINT push_devices_token_key UNIQUE (token)
);
CREATE INDEX push_devices_user_idx ON push_devices (user_id);

-- The sandbox push provider keeps what it receives with the sandbox's email and SMS.
ALTER TABLE sandbox.messages DROP CONSTRAINT messages_channel_check;
ALTER TABLE sandbox.messages ADD CONSTRAINT messages_channel_check CHECK (channel IN ('EMAIL', 'SMS', 'PUSH'));
