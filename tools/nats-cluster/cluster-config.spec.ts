import { clientUrl, clusterNodes, nodeConfig, portsFrom } from './cluster-config';

describe('cluster config', () => {
  const nodes = clusterNodes(portsFrom(4240), '/tmp/c');

  it('puts clients on 4241–4243, routes on 6241–6243 and monitoring on 8241–8243, clear of 4222', () => {
    expect(nodes.map((n) => [n.name, n.clientPort, n.clusterPort, n.httpPort, n.storeDir])).toEqual([
      ['n1', 4241, 6241, 8241, '/tmp/c/n1'],
      ['n2', 4242, 6242, 8242, '/tmp/c/n2'],
      ['n3', 4243, 6243, 8243, '/tmp/c/n3'],
    ]);
    expect(clientUrl(nodes)).toBe('nats://127.0.0.1:4241,nats://127.0.0.1:4242,nats://127.0.0.1:4243');
  });

  it("writes a node's name, ports, store and a route to each other node of cluster onecard", () => {
    expect(nodeConfig(nodes[1], nodes)).toBe(
      [
        'server_name: "n2"',
        'listen: "127.0.0.1:4242"',
        'http: "127.0.0.1:8242"',
        'jetstream {',
        '  store_dir: "/tmp/c/n2"',
        '  max_memory_store: 256MB',
        '  max_file_store: 2GB',
        '}',
        'cluster {',
        '  name: "onecard"',
        '  listen: "127.0.0.1:6242"',
        '  routes: [',
        '    "nats-route://127.0.0.1:6241"',
        '    "nats-route://127.0.0.1:6243"',
        '  ]',
        '}',
        '',
      ].join('\n'),
    );
  });
});
