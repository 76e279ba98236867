CREATE TABLE "claims" (
	"scope" text NOT NULL,
	"at" bigint NOT NULL,
	"claimed_by" text NOT NULL,
	"lease_until" bigint NOT NULL,
	"done_at" bigint,
	CONSTRAINT "claims_scope_at_pk" PRIMARY KEY("scope","at")
);
--> statement-breakpoint
ALTER TABLE "deliveries" ADD COLUMN "claimed_by" text;--> statement-breakpoint
CREATE INDEX "claims_lease" ON "claims" USING btree ("lease_until");