// An entry of the audit log as every layer sees it.

export interface AuditRecord {
  at: number;
  /** the actor's name (a key's name, `local`, `admin`, `slack:<user id>`) */
  actor: string;
  action: string;
  target: string | null;
  /** what the mutation was given, secrets redacted and bounded in size; null when nothing */
  details: unknown;
}
