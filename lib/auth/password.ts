import bcrypt from "bcryptjs";

// bcrypt cost 10 ≈ 70 ms here: slow enough to hurt offline guessing, fast enough for sign-in.
const COST = 10;

export function hashPassword(password: string): Promise<string> {
  return bcrypt.hash(password, COST);
}

export function verifyPassword(password: string, hash: string | null): Promise<boolean> {
  // Compare against a fixed hash when the account has none, so timing doesn't reveal which emails exist.
  return bcrypt.compare(password, hash ?? DUMMY_HASH);
}

const DUMMY_HASH = "$2b$10$CwTycUXWue0Thq9StjUM0uJ8.8xGz7Jd1Qh4u0o6Vx9rGJkq1YQ6K";
