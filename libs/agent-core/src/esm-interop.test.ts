import { execa } from 'execa';
import { GraphQLClient } from 'graphql-request';

// Proves the shared Jest preset loads the ESM-only dependencies the workspace depends on.
describe('ESM-only dependencies under Jest', () => {
  it('runs a real child through execa', async () => {
    const result = await execa(process.execPath, ['-e', 'process.stdout.write("ok")']);
    expect(result.stdout).toBe('ok');
  });
  it('constructs a graphql-request client', () => {
    expect(new GraphQLClient('http://127.0.0.1:1/graphql')).toBeInstanceOf(GraphQLClient);
  });
});
