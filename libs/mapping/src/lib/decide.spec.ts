import { describe, expect, it } from 'vitest';
import { decide, type CarriedState, type Decision, type TerranovaPresence } from './decide.ts';

const activated: CarriedState = { bound: true, deleted: false, user: { state: 'ACTIVATED', suspended: false } };
const suspended: CarriedState = { bound: true, deleted: false, user: { state: 'SUSPENDED', suspended: true } };
const staged: CarriedState = { bound: true, deleted: false, user: { state: 'STAGED', suspended: false } };
const unbound: CarriedState = { ...activated, bound: false };
const deleted: CarriedState = { bound: true, deleted: true, user: {} };
const deletedUnbound: CarriedState = { bound: false, deleted: true, user: { state: 'ACTIVATED' } };

const missing: TerranovaPresence = { exists: false };
const active: TerranovaPresence = { exists: true, active: true };
const inactive: TerranovaPresence = { exists: true, active: false };

const deactivate = { deprovisionMode: 'deactivate' } as const;
const remove = { deprovisionMode: 'delete' } as const;

describe('decide: the decision table', () => {
  it.each<[string, CarriedState, TerranovaPresence, typeof deactivate | typeof remove, Decision]>([
    ['bound ACTIVATED, nothing in Terranova', activated, missing, deactivate, { action: 'create' }],
    ['bound ACTIVATED, active in Terranova', activated, active, deactivate, { action: 'update' }],
    ['bound ACTIVATED, active, diff empty', activated, { ...active, attributesDiffer: false }, deactivate, { action: 'none', reason: 'up-to-date' }],
    ['bound ACTIVATED, active, diff not empty', activated, { ...active, attributesDiffer: true }, deactivate, { action: 'update' }],
    ['bound ACTIVATED, inactive in Terranova', activated, inactive, deactivate, { action: 'reactivate' }],
    ['bound ACTIVATED, inactive, delete mode', activated, inactive, remove, { action: 'reactivate' }],
    ['bound SUSPENDED, active', suspended, active, deactivate, { action: 'deactivate', cause: 'suspended' }],
    ['bound SUSPENDED, active, delete mode (suspension never deletes)', suspended, active, remove, { action: 'deactivate', cause: 'suspended' }],
    ['bound SUSPENDED, inactive', suspended, inactive, deactivate, { action: 'none', reason: 'already-inactive', cause: 'suspended' }],
    ['bound SUSPENDED, nothing (never create inactive)', suspended, missing, deactivate, { action: 'none', reason: 'not-in-terranova', cause: 'suspended' }],
    ['bound STAGED, active', staged, active, deactivate, { action: 'deactivate', cause: 'staged' }],
    ['bound STAGED, nothing', staged, missing, deactivate, { action: 'none', reason: 'not-in-terranova', cause: 'staged' }],
    ['unbound, active', unbound, active, deactivate, { action: 'deactivate', cause: 'unbound' }],
    ['unbound, active, delete mode', unbound, active, remove, { action: 'delete', cause: 'unbound' }],
    ['unbound, inactive', unbound, inactive, deactivate, { action: 'none', reason: 'already-inactive', cause: 'unbound' }],
    ['unbound, inactive, delete mode', unbound, inactive, remove, { action: 'delete', cause: 'unbound' }],
    ['unbound, nothing', unbound, missing, remove, { action: 'none', reason: 'not-in-terranova', cause: 'unbound' }],
    ['deleted, active', deleted, active, deactivate, { action: 'deactivate', cause: 'deleted' }],
    ['deleted, active, delete mode', deleted, active, remove, { action: 'delete', cause: 'deleted' }],
    ['deleted, inactive', deleted, inactive, deactivate, { action: 'none', reason: 'already-inactive', cause: 'deleted' }],
    ['deleted, never created', deleted, missing, deactivate, { action: 'none', reason: 'not-in-terranova', cause: 'deleted' }],
    ['deleted and unbound counts as deleted', deletedUnbound, active, remove, { action: 'delete', cause: 'deleted' }],
  ])('%s', (_row, carried, terranova, settings, expected) => {
    expect(decide(carried, terranova, settings)).toEqual(expected);
  });

  it('treats a suspended flag on an ACTIVATED state as suspended', () => {
    const flagged: CarriedState = { ...activated, user: { state: 'ACTIVATED', suspended: true } };
    expect(decide(flagged, active, deactivate)).toEqual({ action: 'deactivate', cause: 'suspended' });
  });
});
