/**
 * Thrown inside a role's work when the run must stop for a reason that is not the action's fault:
 * the budget is spent or the user interrupted. The role runner catches it and stops quietly.
 */
export class RunHalt extends Error {
  constructor(readonly reason: 'budget' | 'interrupted') {
    super(reason === 'budget' ? 'budget exhausted' : 'interrupted');
    this.name = 'RunHalt';
  }
}
