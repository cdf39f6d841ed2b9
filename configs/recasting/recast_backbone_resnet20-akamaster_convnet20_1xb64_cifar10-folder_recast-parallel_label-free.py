# Teacher-fed recasting from unlabeled images: recasting matches the
# teacher's activations and never reads a label, so the training images are
# read as one unlabeled folder (CustomDataset, with_label=False). The test
# set keeps its labels, to measure the student.
_base_ = ['./recast_backbone_resnet20-akamaster_convnet20_1xb64_'
          'cifar10-folder_recast-parallel.py']

train_dataloader = dict(dataset=dict(with_label=False))
