CREATE TABLE IF NOT EXISTS orleans_grain_directory (
    service_id      VARCHAR(150)  NOT NULL,
    cluster_id      VARCHAR(150)  NOT NULL,
    grain_type      VARCHAR(150)  NOT NULL,
    grain_key       VARCHAR(1000) NOT NULL,
    key_kind        VARCHAR(10)   NOT NULL,
    silo_address    VARCHAR(100)  NOT NULL,
    silo_port       INT           NOT NULL,
    silo_generation BIGINT        NOT NULL,
    activation_id   VARCHAR(150)  NOT NULL,
    row_version     BIGINT        NOT NULL,
    PRIMARY KEY (service_id, cluster_id, grain_type, grain_key)
);
-- Dead silos are dropped by address, which without this index scans the whole cluster.
CREATE INDEX IF NOT EXISTS orleans_grain_directory_silo
    ON orleans_grain_directory (service_id, cluster_id, silo_address, silo_port, silo_generation)
