CREATE TABLE "instances" (
	"name" text PRIMARY KEY NOT NULL,
	"started_at" bigint NOT NULL,
	"beat_at" bigint NOT NULL
);
--> statement-breakpoint
CREATE INDEX "instances_beat_at" ON "instances" USING btree ("beat_at");