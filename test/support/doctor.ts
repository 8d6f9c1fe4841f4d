// Helpers for the doctor tests: an in-memory file view (ConfigFiles) from a { path: text } record,
// the classic keepalived pair used across the doctor tests, and one call that reads, models and judges.
import type { ConfigFiles } from '../../src/doctor/conf-files.js';
import { readConfigLines } from '../../src/doctor/conf-lines.js';
import { buildModel, type KeepalivedConfig } from '../../src/doctor/conf-model.js';
import { judgeConfig } from '../../src/doctor/findings-config.js';
import type { DoctorFinding, HostFacts } from '../../src/doctor/types.js';

/** Files (absolute path → text); directories are implied by the paths. Mode 'x' marks an executable. */
export function memFiles(files: Record<string, string>, executable: string[] = []): ConfigFiles {
  const dirs = new Map<string, Set<string>>();
  for (const p of Object.keys(files)) {
    const parts = p.split('/').filter(Boolean);
    for (let i = 0; i < parts.length; i++) {
      const dir = '/' + parts.slice(0, i).join('/');
      if (!dirs.has(dir)) dirs.set(dir, new Set());
      dirs.get(dir)!.add(parts[i]!);
    }
  }
  return {
    read: (p) => (p in files ? { text: files[p]! } : dirs.has(p) ? { error: 'is a directory' } : { error: 'no such file' }),
    list: (d) => (dirs.has(d) ? [...dirs.get(d)!] : null),
    kind: (p) => (p in files ? (executable.includes(p) ? 'executable' : 'file') : dirs.has(p) ? 'dir' : null),
  };
}

export const HOST: HostFacts = {
  interfaces: [
    { name: 'lo', up: true, multicast: false, addresses: [{ address: '127.0.0.1', prefix: 8, family: 4 }] },
    { name: 'eth0', up: true, multicast: true, addresses: [{ address: '192.168.1.11', prefix: 24, family: 4 }, { address: 'fd00::11', prefix: 64, family: 6 }] },
  ],
  interfacesNote: null,
};

/** The classic MASTER side: nginx checked by a vrrp_script with weight -10 (priority 100 vs a backup at 80). */
export const CLASSIC_MASTER = `! Configuration File for keepalived
global_defs {
   router_id LB1
   enable_script_security
   script_user root
}

vrrp_script chk_nginx {
    script "/usr/bin/pgrep nginx"
    interval 2
    weight -10
    fall 2
    rise 2
}

vrrp_instance VI_1 {
    state MASTER
    interface eth0
    virtual_router_id 51
    priority 100
    advert_int 1
    authentication {
        auth_type PASS
        auth_pass s3cret
    }
    virtual_ipaddress {
        192.168.1.100/24
    }
    track_script {
        chk_nginx
    }
}
`;

export function model(files: Record<string, string>, main = '/etc/keepalived/keepalived.conf', configId: string | null = null): KeepalivedConfig {
  return buildModel(readConfigLines(main, memFiles(files), { configId }));
}

export function judge(text: string, o: { peerPriority?: number | null; host?: HostFacts; extra?: Record<string, string> } = {}): DoctorFinding[] {
  const cfg = model({ '/etc/keepalived/keepalived.conf': text, ...(o.extra ?? {}) });
  return judgeConfig(cfg, o.host ?? HOST, { peerPriority: o.peerPriority ?? null });
}

export const codes = (fs: DoctorFinding[]): string[] => fs.map((f) => f.code);
