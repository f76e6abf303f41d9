# symlink_folder.sh WORKBOOK DIR: after the pristine commit, replaces
# exercises/00_target by a link to a copy outside the workbook whose test
# accepts the wrong sub (a grader that follows the link grades the copy).
wb=$1 d=$2
mkdir -p "$d/elsewhere"
cp -r "$wb/exercises/00_target" "$d/elsewhere/00_target"
sed -i 's/LL_CHECK_INT_EQ(sub(5, 3), 2, "sub(5, 3)")/LL_CHECK_INT_EQ(sub(5, 3), 5, "sub(5, 3)")/' \
    "$d/elsewhere/00_target/test_target.c"
chmod -R a+rX "$d/elsewhere"
rm -rf "$wb/exercises/00_target"
ln -s "$d/elsewhere/00_target" "$wb/exercises/00_target"
