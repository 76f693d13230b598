"""The consultation schedule: a pure solver, its validator, instance generator, agendas."""
