# Connector pre-training (official Factor Transfer code): SGD lr 0.1, 6
# epochs, constant lr. Nothing is validated in this stage: leaf configs set
# val_* and test_* to None (they come from the dataset base).
optim_wrapper = dict(
    optimizer=dict(type='SGD', lr=0.1, momentum=0.9, weight_decay=5e-4))
param_scheduler = []
train_cfg = dict(by_epoch=True, max_epochs=6)
