// The overlay's namespace tests (real kernel), in one file so that they run one after the other:
// the 50-process CNI burst never competes with the 1-second join measurement. Scenarios live in
// ../testing/scenario-*.ts; each builds its namespaces under its own prefix and removes them.
import t from 'tap';
import { overlayScenario } from '../testing/scenario-overlay.js';
import { cniScenario } from '../testing/scenario-cni.js';

// Namespaces, ~80 plugin processes and a shared 2-core machine: more than the default 120 s.
t.setTimeout(300_000);

t.test('overlay across lab hosts: program, attach, ping, join, leave', overlayScenario);
t.test('mesonet-cni against the kernel', cniScenario);
