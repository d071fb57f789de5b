-- AlterEnum
-- Audit events of the command-line tools a person runs on the server (operators:grant / revoke).
ALTER TYPE "ActorType" ADD VALUE 'CLI';
