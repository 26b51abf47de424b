import { buildCli } from '../support/cliBuild';

// The integration tests run `motortwin` as users do, from its build.
export default function setup(): void {
  buildCli();
}
