CREATE TABLE IF NOT EXISTS orleans_membership_version (
    service_id  VARCHAR(150) NOT NULL,
    cluster_id  VARCHAR(150) NOT NULL,
    version     BIGINT       NOT NULL,
    modified_ms BIGINT       NOT NULL,
    PRIMARY KEY (service_id, cluster_id)
);
CREATE TABLE IF NOT EXISTS orleans_membership (
    service_id         VARCHAR(150)  NOT NULL,
    cluster_id         VARCHAR(150)  NOT NULL,
    address            VARCHAR(100)  NOT NULL,
    port               INT           NOT NULL,
    generation         BIGINT        NOT NULL,
    silo_name          VARCHAR(150),
    host_name          VARCHAR(150),
    status             VARCHAR(20)   NOT NULL,
    gateway_port       INT           NOT NULL,
    role_name          VARCHAR(150),
    start_time_ms      BIGINT,
    i_am_alive_time_ms BIGINT,
    suspect_votes      VARCHAR(4000),
    row_version        BIGINT        NOT NULL,
    app_version        VARCHAR(150),
    grain_manifest     VARCHAR(1000000),
    PRIMARY KEY (service_id, cluster_id, address, port, generation)
);
ALTER TABLE orleans_membership ADD COLUMN IF NOT EXISTS app_version VARCHAR(150);
ALTER TABLE orleans_membership ADD COLUMN IF NOT EXISTS grain_manifest VARCHAR(1000000)
