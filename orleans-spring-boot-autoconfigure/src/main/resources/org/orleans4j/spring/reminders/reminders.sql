CREATE TABLE IF NOT EXISTS orleans_reminders (
    service_id     VARCHAR(150)  NOT NULL,
    grain_type     VARCHAR(150)  NOT NULL,
    grain_key      VARCHAR(1000) NOT NULL,
    key_kind       VARCHAR(10)   NOT NULL,
    reminder_name  VARCHAR(150)  NOT NULL,
    grain_hash     INT           NOT NULL,
    start_at       BIGINT        NOT NULL,
    period_millis  BIGINT        NOT NULL,
    etag           VARCHAR(36)   NOT NULL,
    last_tick      BIGINT,
    PRIMARY KEY (service_id, grain_type, grain_key, reminder_name)
);
-- Each silo reads the reminders of its ranges of the ring by grain hash.
CREATE INDEX IF NOT EXISTS orleans_reminders_hash ON orleans_reminders (service_id, grain_hash)
