-- TestPostgresTest: a migration that leaves a table and a row, as the tool's V30 leaves its cursor row
CREATE TABLE note (id serial PRIMARY KEY, v text NOT NULL);
INSERT INTO note (v) VALUES ('from the migration');
