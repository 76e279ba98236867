// Who may do what, and an API key as every layer sees it (never its secret).

export type Role = 'ADMIN' | 'EDITOR' | 'INGEST' | 'VIEWER';

export interface ApiKeyRecord {
  id: number;
  name: string;
  role: Role;
  createdAt: number;
  revokedAt: number | null;
}
