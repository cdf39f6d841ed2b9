# Student-fed (chained) recasting: all 9 targets train at once as in
# ..._recast-parallel.py, but each on the input the student itself gives its
# block (cut from the graph) against the teacher's output of that block, so
# a target learns to correct the errors of the targets before it.
_base_ = ['./recast_backbone_resnet20-akamaster_convnet20_1xb64_'
          'cifar10-folder_recast-parallel.py']

model = dict(mode='chained')
