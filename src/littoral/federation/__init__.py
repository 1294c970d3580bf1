"""littoral.federation: five centres, one picture, over NATS JetStream.

The transport interface (:mod:`~littoral.federation.transport`) and its JetStream
implementation (:mod:`~littoral.federation.jetstream`), the bodies and ids of the messages
(:mod:`~littoral.federation.wire`), what a state shares (:mod:`~littoral.federation.policy`),
the merge of alerts raised at several centres (:mod:`~littoral.federation.reconcile`) and a
centre's NATS server (:mod:`~littoral.federation.server`). The centre itself, which joins
these to the picture and the store, is the use case :mod:`littoral.services.federation`.
See ``docs/federation.md``. Importing this package imports no NATS client.
"""
