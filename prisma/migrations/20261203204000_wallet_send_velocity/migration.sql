-- Velocity of each wallet's sends for the risk rules ("sends in the last minute / hour"), kept by
-- the posting function under the wallet lock it already takes, instead of counters in Redis:
-- fixed buckets of 60 s and 3600 s (bucket = epoch seconds / length), this bucket's count and the
-- previous one's (wallet_sends_in_window estimates the sliding window from them).
ALTER TABLE "wallets"
  ADD COLUMN "sends_minute_bucket" BIGINT,
  ADD COLUMN "sends_this_minute" INTEGER NOT NULL DEFAULT 0,
  ADD COLUMN "sends_last_minute" INTEGER NOT NULL DEFAULT 0,
  ADD COLUMN "sends_hour_bucket" BIGINT,
  ADD COLUMN "sends_this_hour" INTEGER NOT NULL DEFAULT 0,
  ADD COLUMN "sends_last_hour" INTEGER NOT NULL DEFAULT 0;
