import { type MigrationInterface, type QueryRunner } from 'typeorm';

/**
 * History that never changes, and the ledger of the release gate (docs/adr/0007, 0008).
 *
 * - `cycle.group_path`: the team's groups, top first, frozen when the cycle closes. A cycle counts
 *   in those groups for ever, wherever the team moves later. Cycles closed before this migration get
 *   the path their team has now (the path at their close was not recorded).
 * - `team_month_cycle` is rebuilt by the month the cycle CLOSED in (UTC; it was the month it
 *   opened in) and by the org tree (top group, `root_id`) the cycle closed in, and carries the
 *   frozen path instead of a group kept up to date by a trigger: the trigger that moved the rows
 *   with their team is dropped.
 * - `team_month_group`: one row per group on that path, so a group's teams in a month are an index
 *   range, not a recursive walk of today's tree.
 * - `disclosure_period`: per org tree, the months that have closed cycles; `sealed_at` is set once
 *   the month is over and every cycle of the tree closing in it has closed. From then on its rows
 *   never change and its group cells are decided.
 * - `disclosure_cell`: the ledger — every decision the gate made against earlier releases (cells
 *   with cycles of 0 < n < k), with the cycles the cell covers.
 * Changes to all of them move the analytics data version, like `cycle_stats`.
 */
export class ReleaseLedger1795756000000 implements MigrationInterface {
  name = 'ReleaseLedger1795756000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`SELECT set_config('statement_timeout', '0', true)`);
    await queryRunner.query('ALTER TABLE "cycle" ADD "group_path" uuid array');
    await queryRunner.query(
      `WITH RECURSIVE up(team_id, group_id, depth) AS (
         SELECT t.id, t.group_id, 0 FROM "team" t
         UNION ALL
         SELECT up.team_id, g.parent_id, up.depth + 1
           FROM up JOIN "org_group" g ON g.id = up.group_id WHERE g.parent_id IS NOT NULL
       ), paths AS (
         SELECT team_id, array_agg(group_id ORDER BY depth DESC) AS path FROM up GROUP BY team_id
       )
       UPDATE "cycle" c SET "group_path" = paths.path FROM paths
        WHERE paths.team_id = c.team_id AND c.status = 'closed'`,
    );

    await queryRunner.query('DROP TRIGGER "tr_team_month_cycle_follow_team" ON "team"');
    await queryRunner.query('DROP FUNCTION "team_month_cycle_follow_team"()');
    await queryRunner.query('DROP INDEX "ix_team_month_cycle_counts"');
    await queryRunner.query('TRUNCATE "team_month_cycle"');
    await queryRunner.query('ALTER TABLE "team_month_cycle" DROP COLUMN "group_id"');
    await queryRunner.query('ALTER TABLE "team_month_cycle" DROP CONSTRAINT "pk_team_month_cycle"');
    await queryRunner.query('ALTER TABLE "team_month_cycle" ADD "root_id" uuid NOT NULL');
    await queryRunner.query('ALTER TABLE "team_month_cycle" ADD "group_path" uuid array NOT NULL');
    await queryRunner.query(
      'ALTER TABLE "team_month_cycle" ADD CONSTRAINT "pk_team_month_cycle" PRIMARY KEY ("instrument", "root_id", "month", "team_id")',
    );
    await queryRunner.query(
      `INSERT INTO "team_month_cycle" ("instrument", "root_id", "month", "team_id", "cycle_id", "k", "invited", "n", "stats", "group_path")
       SELECT l.instrument, l.group_path[1], l.month, l.team_id, l.id, l.k, l.invited, coalesce(s.n, 0),
              coalesce((SELECT jsonb_object_agg(cs.dimension, jsonb_build_array(cs.n, cs.sum, cs.sum_sq, cs.sum_cross))
                          FROM "cycle_stats" cs WHERE cs.cycle_id = l.id AND NOT starts_with(cs.dimension, 'item:')), '{}'::jsonb),
              l.group_path
         FROM (
           SELECT DISTINCT ON (c.team_id, split_part(c.instrument_version, '@', 1), c.group_path[1], date_trunc('month', c.closes_at AT TIME ZONE 'UTC'))
                  split_part(c.instrument_version, '@', 1) AS instrument,
                  date_trunc('month', c.closes_at AT TIME ZONE 'UTC')::date AS month,
                  c.team_id, c.id, c.k, c.invited, c.group_path
             FROM "cycle" c
            WHERE c.status = 'closed'
            ORDER BY c.team_id, split_part(c.instrument_version, '@', 1), c.group_path[1], date_trunc('month', c.closes_at AT TIME ZONE 'UTC'),
                     c.closes_at DESC, c.id DESC
         ) l
         LEFT JOIN "cycle_stats" s ON s.cycle_id = l.id AND s.dimension = 'total'`,
    );

    await queryRunner.query(
      `CREATE TABLE "team_month_group" ("instrument" text NOT NULL, "group_id" uuid NOT NULL, "month" date NOT NULL,
        "root_id" uuid NOT NULL, "team_id" uuid NOT NULL, "depth" smallint NOT NULL,
        CONSTRAINT "pk_team_month_group" PRIMARY KEY ("instrument", "group_id", "month", "root_id", "team_id"))`,
    );
    await queryRunner.query('CREATE INDEX "ix_team_month_group_team" ON "team_month_group" ("team_id")');
    await queryRunner.query(
      'ALTER TABLE "team_month_group" ADD CONSTRAINT "fk_team_month_group_group" FOREIGN KEY ("group_id") REFERENCES "org_group"("id") ON DELETE CASCADE',
    );
    await queryRunner.query(
      'ALTER TABLE "team_month_group" ADD CONSTRAINT "fk_team_month_group_team" FOREIGN KEY ("team_id") REFERENCES "team"("id") ON DELETE CASCADE',
    );
    await queryRunner.query(
      `INSERT INTO "team_month_group" ("instrument", "group_id", "month", "root_id", "team_id", "depth")
       SELECT m.instrument, p.group_id, m.month, m.root_id, m.team_id, (p.depth - 1)::smallint
         FROM "team_month_cycle" m CROSS JOIN LATERAL unnest(m.group_path) WITH ORDINALITY AS p(group_id, depth)`,
    );

    await queryRunner.query(
      `CREATE TABLE "disclosure_period" ("instrument" text NOT NULL, "root_id" uuid NOT NULL, "month" date NOT NULL,
        "sealed_at" TIMESTAMP WITH TIME ZONE, CONSTRAINT "pk_disclosure_period" PRIMARY KEY ("instrument", "root_id", "month"))`,
    );
    await queryRunner.query(
      `INSERT INTO "disclosure_period" ("instrument", "root_id", "month") SELECT DISTINCT instrument, root_id, month FROM "team_month_cycle"`,
    );
    await queryRunner.query(
      `CREATE TABLE "disclosure_cell" ("instrument" text NOT NULL, "key" text NOT NULL, "kind" text NOT NULL,
        "month" date, "cycles" uuid array NOT NULL, "hidden" uuid array NOT NULL, "n" integer NOT NULL, "k" smallint NOT NULL,
        "released" boolean NOT NULL, "reason" text, "decided_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
        CONSTRAINT "pk_disclosure_cell" PRIMARY KEY ("instrument", "key"),
        CONSTRAINT "ck_disclosure_cell_reason" CHECK (("released" AND "reason" IS NULL) OR (NOT "released" AND "reason" IS NOT NULL)))`,
    );
    for (const table of ['team_month_group', 'disclosure_period', 'disclosure_cell']) {
      await queryRunner.query(
        `CREATE TRIGGER "tr_${table}_analytics_version" AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON "${table}" FOR EACH STATEMENT EXECUTE FUNCTION "analytics_version_touch"()`,
      );
    }
    await queryRunner.query('ANALYZE "team_month_cycle"');
    await queryRunner.query('ANALYZE "team_month_group"');
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`SELECT set_config('statement_timeout', '0', true)`);
    for (const table of ['team_month_group', 'disclosure_period', 'disclosure_cell']) {
      await queryRunner.query(`DROP TRIGGER "tr_${table}_analytics_version" ON "${table}"`);
    }
    await queryRunner.query('DROP TABLE "disclosure_cell"');
    await queryRunner.query('DROP TABLE "disclosure_period"');
    await queryRunner.query('DROP TABLE "team_month_group"');
    await queryRunner.query('TRUNCATE "team_month_cycle"');
    await queryRunner.query('ALTER TABLE "team_month_cycle" DROP CONSTRAINT "pk_team_month_cycle"');
    await queryRunner.query('ALTER TABLE "team_month_cycle" DROP COLUMN "group_path"');
    await queryRunner.query('ALTER TABLE "team_month_cycle" DROP COLUMN "root_id"');
    await queryRunner.query(
      'ALTER TABLE "team_month_cycle" ADD CONSTRAINT "pk_team_month_cycle" PRIMARY KEY ("instrument", "month", "team_id")',
    );
    await queryRunner.query('ALTER TABLE "team_month_cycle" ADD "group_id" uuid NOT NULL');
    await queryRunner.query(
      `INSERT INTO "team_month_cycle" ("instrument", "month", "team_id", "group_id", "cycle_id", "k", "invited", "n", "stats")
       SELECT l.instrument, l.month, l.team_id, l.group_id, l.id, l.k, l.invited, coalesce(s.n, 0),
              coalesce((SELECT jsonb_object_agg(cs.dimension, jsonb_build_array(cs.n, cs.sum, cs.sum_sq, cs.sum_cross))
                          FROM "cycle_stats" cs WHERE cs.cycle_id = l.id AND NOT starts_with(cs.dimension, 'item:')), '{}'::jsonb)
         FROM (
           SELECT DISTINCT ON (c.team_id, split_part(c.instrument_version, '@', 1), date_trunc('month', c.opens_at AT TIME ZONE 'UTC'))
                  split_part(c.instrument_version, '@', 1) AS instrument,
                  date_trunc('month', c.opens_at AT TIME ZONE 'UTC')::date AS month,
                  c.team_id, t.group_id, c.id, c.k, c.invited
             FROM "cycle" c JOIN "team" t ON t.id = c.team_id
            WHERE c.status = 'closed'
            ORDER BY c.team_id, split_part(c.instrument_version, '@', 1), date_trunc('month', c.opens_at AT TIME ZONE 'UTC'),
                     c.opens_at DESC, c.id DESC
         ) l
         LEFT JOIN "cycle_stats" s ON s.cycle_id = l.id AND s.dimension = 'total'`,
    );
    await queryRunner.query(
      'CREATE INDEX "ix_team_month_cycle_counts" ON "team_month_cycle" ("instrument", "month", "group_id") INCLUDE ("team_id", "n", "k")',
    );
    await queryRunner.query(`CREATE FUNCTION "team_month_cycle_follow_team"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  UPDATE "team_month_cycle" SET "group_id" = NEW."group_id" WHERE "team_id" = NEW."id";
  RETURN NULL;
END
$$`);
    await queryRunner.query(
      `CREATE TRIGGER "tr_team_month_cycle_follow_team" AFTER UPDATE OF "group_id" ON "team"
       FOR EACH ROW WHEN (OLD."group_id" IS DISTINCT FROM NEW."group_id") EXECUTE FUNCTION "team_month_cycle_follow_team"()`,
    );
    await queryRunner.query('ALTER TABLE "cycle" DROP COLUMN "group_path"');
  }
}
