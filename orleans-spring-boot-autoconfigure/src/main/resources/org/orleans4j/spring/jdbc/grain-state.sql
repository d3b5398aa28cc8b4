CREATE TABLE IF NOT EXISTS ${table} (
    service_id  VARCHAR(150)  NOT NULL,
    grain_type  VARCHAR(150)  NOT NULL,
    grain_key   VARCHAR(1000) NOT NULL,
    state_name  VARCHAR(150)  NOT NULL,
    payload     ${payloadType},
    version     BIGINT        NOT NULL,
    modified_at TIMESTAMP     NOT NULL,
    PRIMARY KEY (service_id, grain_type, grain_key, state_name)
)
